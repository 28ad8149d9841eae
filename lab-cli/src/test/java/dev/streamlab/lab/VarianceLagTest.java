package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run variance} says how far behind it is: a capped job over a backlog, and a topic whose
 * open transaction holds records back from {@code read_committed}, on a real broker and Spark.
 */
class VarianceLagTest {

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void aCappedJobOverABacklogIsBehindAndCatchesUpToZero() throws Exception {
    String[] backlog = Collections.nCopies(500, "1 2").toArray(String[]::new);
    kafka.createTopic("lagging", 1);
    Topics.send(kafka.bootstrapServers(), "lagging", backlog);

    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--topic",
            "lagging",
            "--max-rate-per-partition",
            "100/s",
            "--window",
            "1s",
            "--slide",
            "1s",
            "--format",
            "json",
            "--duration",
            "9s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> reports = run.out().lines().map(LabJson::read).toList();
    List<Long> behind =
        reports.stream().map(report -> report.get("lag").get("records_behind").asLong()).toList();
    assertThat(behind.get(0)).as(run.out()).isPositive();
    assertThat(behind).as(run.out()).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    JsonNode last = reports.get(reports.size() - 1);
    assertThat(last.get("n").asLong()).isEqualTo(1000); // everything, once
    assertThat(last.get("lag").get("records_behind").asLong()).isZero();
    JsonNode partition = last.get("lag").get("partitions").get(0);
    assertThat(partition.get("partition").asText()).isEqualTo("lagging-0");
    assertThat(partition.get("next_offset").asLong()).isEqualTo(500);
    assertThat(partition.get("log_end_offset").asLong()).isEqualTo(500);
    // Each report's lag is what the offsets say: the records it has not counted yet.
    for (JsonNode report : reports) {
      assertThat(report.get("lag").get("records_behind").asLong())
          .isEqualTo(500 - report.get("n").asLong() / 2);
    }
  }

  @Test
  void anOpenTransactionHoldsRecordsBackFromReadCommitted() throws Exception {
    kafka.createTopic("held", 1);
    Topics.send(kafka.bootstrapServers(), "held", "1 2 3");
    try (KafkaProducer<String, String> open =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "lag-open"),
            new StringSerializer(),
            new StringSerializer())) {
      open.initTransactions();
      open.beginTransaction();
      open.send(new ProducerRecord<>("held", "100")).get(); // offset 1, open
      Topics.send(kafka.bootstrapServers(), "held", "4", "5"); // offsets 2, 3: behind it

      CommandRun run =
          CommandRun.of(
              "",
              "run",
              "variance",
              "--bootstrap-server",
              kafka.bootstrapServers(),
              "--topic",
              "held",
              "--isolation-level",
              "read_committed",
              "--format",
              "json",
              "--duration",
              "4s");

      assertThat(run.exitCode()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      JsonNode last = LabJson.read(lines.get(lines.size() - 1));
      assertThat(last.get("n").asLong()).isEqualTo(3); // the line before the transaction
      assertThat(last.get("lag").get("records_behind").asLong()).isZero();
      assertThat(last.get("lag").get("held_back").asLong()).isEqualTo(3);
      JsonNode partition = last.get("lag").get("partitions").get(0);
      assertThat(partition.get("last_stable_offset").asLong()).isEqualTo(1);
      assertThat(partition.get("log_end_offset").asLong()).isEqualTo(4);
      open.abortTransaction();
    }
  }
}
