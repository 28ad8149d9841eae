package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.StatsAccumulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The limit: one plain {@code KafkaConsumer}, the parser and the accumulator, nothing else. */
final class LimitPhase implements Phase {

  @Override
  public String name() {
    return "limit";
  }

  @Override
  public PhaseResult run(BenchTopic topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            topic.bootstrap(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            10_000);
    HeapGauge.resetPeak();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic.topic()).stream()
              .map(p -> new TopicPartition(topic.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      StatsAccumulator numbers = new StatsAccumulator();
      long records = 0;
      long start = System.nanoTime();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          NumberLineParser.parse(record.value(), numbers);
          records++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new PhaseResult(
          name(), ExactSums.of(numbers.toStats()), records, seconds, HeapGauge.peakMb(), null);
    }
  }
}
