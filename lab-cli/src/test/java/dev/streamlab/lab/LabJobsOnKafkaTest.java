package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlab.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A lab job without state on a real Kafka topic, through the CLI, Spark in local[2]. */
class LabJobsOnKafkaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void aRestartOnTheCheckpointReadsOnFromTheSavedOffsetsAndTombstonesAreEmptyLines() {
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
    send("texts", "hello", null, "kafka");
    CommandRun first = CommandRun.of("", args);
    send("texts", "again");
    CommandRun second = CommandRun.of("", args);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(printed(first)).containsExactly("HELLO", "", "KAFKA");
    assertThat(first.err())
        .contains("Kafka records without a value, or with an empty one, read as empty lines: 1");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(printed(second)).containsExactly("AGAIN");
  }

  private static void send(String topic, String... values) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value));
      }
      producer.flush();
    }
  }

  /** Every line the run printed, batch after batch. */
  private static List<String> printed(CommandRun run) {
    List<String> lines = new ArrayList<>();
    for (String report : run.out().lines().filter(line -> !line.isBlank()).toList()) {
      try {
        JsonNode batch = JSON.readTree(report);
        batch.get("lines").forEach(line -> lines.add(line.asText()));
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON report: " + report, e);
      }
    }
    return lines;
  }
}
