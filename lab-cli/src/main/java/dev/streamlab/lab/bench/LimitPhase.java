package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.StatsAccumulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The limit: the floor of the work on this machine. Plain {@code KafkaConsumer}s, one per core (at
 * most one per partition), each with the parser and an accumulator of its own, merged at the end;
 * nothing else. Timed, as before, from the first poll to the last record: from the earliest first
 * poll of the consumers to the latest end, their set-up (metadata, seeks) left out.
 */
final class LimitPhase implements Phase {

  @Override
  public String name() {
    return "limit";
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    long started = System.nanoTime();
    HeapGauge.resetPeak();
    List<TopicPartition> partitions = partitions(topic);
    int consumers = Math.min(partitions.size(), Runtime.getRuntime().availableProcessors());
    List<List<TopicPartition>> shares = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      shares.get(i % consumers).add(partitions.get(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(consumers);
    try {
      List<Future<Share>> running = new ArrayList<>();
      for (List<TopicPartition> share : shares) {
        running.add(pool.submit(() -> drain(topic, share)));
      }
      StatsAccumulator numbers = new StatsAccumulator();
      long records = 0;
      long firstPoll = Long.MAX_VALUE;
      long lastRecord = Long.MIN_VALUE;
      for (Future<Share> share : running) {
        Share done = share.get();
        numbers.combine(done.numbers());
        records += done.records();
        firstPoll = Math.min(firstPoll, done.firstPollNanos());
        lastRecord = Math.max(lastRecord, done.endNanos());
      }
      double seconds = (lastRecord - firstPoll) / 1e9;
      return new PhaseResult(
          name(),
          ExactSums.of(numbers.toStats()),
          records,
          seconds,
          (lastRecord - started) / 1e9,
          HeapGauge.peakMb(),
          null);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the limit's consumer failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** What one consumer read, and when (System.nanoTime) it polled first and finished. */
  private record Share(
      StatsAccumulator numbers, long records, long firstPollNanos, long endNanos) {}

  private static Share drain(BenchTopic topic, List<TopicPartition> share) {
    try (KafkaConsumer<String, String> consumer = consumer(topic)) {
      consumer.assign(share);
      consumer.seekToBeginning(share);
      Map<TopicPartition, Long> end = consumer.endOffsets(share);
      StatsAccumulator numbers = new StatsAccumulator();
      long records = 0;
      long firstPoll = System.nanoTime();
      while (share.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          NumberLineParser.parse(record.value(), numbers);
          records++;
        }
      }
      return new Share(numbers, records, firstPoll, System.nanoTime());
    }
  }

  private static List<TopicPartition> partitions(BenchTopic topic) {
    try (KafkaConsumer<String, String> consumer = consumer(topic)) {
      return consumer.partitionsFor(topic.topic()).stream()
          .map(p -> new TopicPartition(topic.topic(), p.partition()))
          .toList();
    }
  }

  private static KafkaConsumer<String, String> consumer(BenchTopic topic) {
    Map<String, Object> config =
        topic
            .client()
            .with(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    topic.bootstrap(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    10_000));
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
