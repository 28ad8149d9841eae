package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.VarianceState;
import dev.streamlab.jobs.kafka.Savepoint;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * consumer, the topic holds every report any run printed and the report of the last batch saved
 * before each kill (which the restarted job writes again from its saved state, whether or not the
 * killed one had); a key written twice holds the same value twice; the results never go back; and
 * the last one counts every number the broker acknowledged.
 */
class OutputTopicCrashIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // kept for a look when the test fails
  Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void killedAndRestartedEverySavedBatchHasItsReportOnTheTopicWithOneValue() throws Exception {
    kafka.createTopic("reports", 1);
    Path checkpoint = dir.resolve("checkpoint");
    String[] command =
        VarianceRuns.command(
            kafka.bootstrapServers(), "measured", checkpoint, "--output-topic", "reports");
    List<JobProcess> runs = new ArrayList<>();
    List<Savepoint.Contents> savedAtKills = new ArrayList<>();
    Producer producer =
        new Producer(kafka.bootstrapServers(), "measured", 30, Duration.ofSeconds(30));
    try {
      JobProcess first = start(runs, command);
      first.awaitLine(line -> true, Duration.ofSeconds(90));
      producer.start();
      first.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      first.kill(); // right after a batch was saved and its report written, or not yet
      savedAtKills.add(Savepoint.show(checkpoint.toString(), JobStates.CODECS));

      JobProcess second = start(runs, command);
      second.awaitLine(line -> true, Duration.ofSeconds(90));
      second.awaitLine(line -> true, Duration.ofSeconds(30));
      second.kill();
      savedAtKills.add(Savepoint.show(checkpoint.toString(), JobStates.CODECS));

      Tally sent = producer.finish();
      JobProcess last = start(runs, command);
      last.awaitLine(line -> VarianceRuns.n(line) == sent.stats().count(), Duration.ofSeconds(120));
      last.signal("TERM");
      assertThat(last.awaitExit(Duration.ofSeconds(60))).as(last.err()).isZero();

      Map<String, List<String>> written = readAll("reports");
      for (Map.Entry<String, List<String>> key : written.entrySet()) {
        assertThat(key.getKey()).startsWith("variance@");
        assertThat(Set.copyOf(key.getValue()))
            .as("the values written under %s", key.getKey())
            .hasSize(1);
      }
      // Every batch is due (VarianceRuns.command: --slide 1s, the batch's length), so the last
      // batch saved before a kill has a report to write.
      for (Savepoint.Contents saved : savedAtKills) {
        String key = "variance@" + Instant.ofEpochMilli(saved.lastBatch().timeMillis());
        assertThat(written).as("the last batch saved before a kill").containsKey(key);
        assertThat(ExactSums.of(LabJson.read(written.get(key).get(0))))
            .isEqualTo(ExactSums.of(((VarianceState) saved.state()).total().stats()));
      }
      for (JobProcess run : runs) {
        for (String line : run.outLines()) {
          if (!line.endsWith("}")) {
            continue; // a line cut short by kill -9
          }
          JsonNode printed = LabJson.read(line);
          if (printed.path("final").asBoolean()) {
            continue; // the summary is not written
          }
          String key = "variance@" + printed.path("time").asText();
          assertThat(written).as("a printed report").containsKey(key);
          assertThat(ExactSums.of(LabJson.read(written.get(key).get(0))))
              .isEqualTo(ExactSums.of(printed));
        }
      }
      ExactSums previous = null;
      for (Map.Entry<String, List<String>> key : written.entrySet()) {
        ExactSums result = ExactSums.of(LabJson.read(key.getValue().get(0)));
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

  /** The values of every record of {@code topic}, by key in order of batch time (ISO sorts so). */
  private static Map<String, List<String>> readAll(String topic) {
    Map<String, List<String>> written = new TreeMap<>();
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
          written.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value());
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
