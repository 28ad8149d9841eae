package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A lab job without state on a real Kafka topic, through the CLI, Spark in local[2]. */
class LabJobsOnKafkaTest {

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void aRestartOnTheCheckpointReadsOnFromTheSavedOffsetsAndTombstonesAreEmptyLines()
      throws Exception {
    String[] args = {
      "run",
      "uppercase",
      "--kafka",
      "texts",
      "--bootstrap-server",
      kafka.bootstrapServers(),
      "--checkpoint",
      dir.resolve("checkpoint").toString(),
      "--format",
      "json",
      "--duration",
      "8s"
    };
    Topics.send(kafka.bootstrapServers(), "texts", "hello", null, "kafka");
    CommandRun first = CommandRun.of("", args);
    Topics.send(kafka.bootstrapServers(), "texts", "again");
    CommandRun second = CommandRun.of("", args);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(printed(first)).containsExactly("HELLO", "", "KAFKA");
    assertThat(first.err())
        .contains("Kafka records without a value, or with an empty one, read as empty lines: 1");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(printed(second)).containsExactly("AGAIN");
  }

  /** Every line the run printed, batch after batch. */
  private static List<String> printed(CommandRun run) {
    List<String> lines = new ArrayList<>();
    for (String report : run.out().lines().filter(line -> !line.isBlank()).toList()) {
      LabJson.read(report).get("lines").forEach(line -> lines.add(line.asText()));
    }
    return lines;
  }
}
