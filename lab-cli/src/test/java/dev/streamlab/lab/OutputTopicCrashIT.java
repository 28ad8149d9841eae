package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output-topic} across {@code kill -9}: the variance job killed twice while a producer
 * sends, restarted each time with the same command on the same checkpoint. Read back with a plain
 * consumer, the topic holds one result per batch key, the results never go back (a restarted job
 * carries on from its saved state under new batch times), and the last one counts every number the
 * broker acknowledged.
 */
class OutputTopicCrashIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // kept for a look when the test fails
  Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void killedAndRestartedEachBatchKeyHoldsOneResult() throws Exception {
    kafka.createTopic("reports", 1);
    String[] command =
        VarianceRuns.command(
            kafka.bootstrapServers(),
            "measured",
            dir.resolve("checkpoint"),
            "--output-topic",
            "reports");
    List<JobProcess> runs = new ArrayList<>();
    Producer producer =
        new Producer(kafka.bootstrapServers(), "measured", 30, Duration.ofSeconds(30));
    try {
      JobProcess first = start(runs, command);
      first.awaitLine(line -> true, Duration.ofSeconds(90));
      producer.start();
      first.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      first.kill(); // right after a batch was saved and its report written, or not yet

      JobProcess second = start(runs, command);
      second.awaitLine(line -> true, Duration.ofSeconds(90));
      second.awaitLine(line -> true, Duration.ofSeconds(30));
      second.kill();

      Tally sent = producer.finish();
      JobProcess last = start(runs, command);
      last.awaitLine(line -> VarianceRuns.n(line) == sent.stats().count(), Duration.ofSeconds(120));
      last.signal("TERM");
      assertThat(last.awaitExit(Duration.ofSeconds(60))).as(last.err()).isZero();

      Map<String, List<JsonNode>> written = readAll("reports");
      assertThat(written).isNotEmpty();
      ExactSums previous = null;
      for (Map.Entry<String, List<JsonNode>> key : written.entrySet()) {
        assertThat(key.getKey()).startsWith("variance@");
        assertThat(key.getValue()).as("the values written under %s", key.getKey()).hasSize(1);
        ExactSums result = ExactSums.of(key.getValue().get(0));
        if (previous != null) {
          assertThat(result.n()).as("after %s", key.getKey()).isGreaterThanOrEqualTo(previous.n());
        }
        previous = result;
      }
      assertThat(previous).isEqualTo(ExactSums.of(sent.stats()));
    } finally {
      producer.stop();
      for (JobProcess run : runs) {
        run.close();
      }
    }
  }

  /** Every record of {@code topic}, by key in order of batch time (ISO times sort as text). */
  private static Map<String, List<JsonNode>> readAll(String topic) {
    Map<String, List<JsonNode>> written = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          written
              .computeIfAbsent(record.key(), key -> new ArrayList<>())
              .add(LabJson.read(record.value()));
        }
      }
    }
    return written;
  }

  private JobProcess start(List<JobProcess> runs, String... command) throws IOException {
    JobProcess run = JobProcess.labCli(dir, command);
    runs.add(run);
    return run;
  }
}
