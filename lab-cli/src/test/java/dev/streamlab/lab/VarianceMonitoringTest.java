package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run variance} as an operator watches it: how far behind it is (a capped job over a
 * backlog, a topic whose open transaction holds records back from {@code read_committed}), and its
 * {@code /metrics}, on a real broker and Spark.
 */
class VarianceMonitoringTest {

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

  @Test
  void metricsInPrometheusTextFormatSayWhatTheReportsSay() throws Exception {
    kafka.createTopic("scraped", 1);
    Topics.send(
        kafka.bootstrapServers(),
        "scraped",
        Collections.nCopies(200, "1 2 x").toArray(String[]::new));
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    CompletableFuture<CommandRun> running =
        CompletableFuture.supplyAsync(
            () ->
                CommandRun.of(
                    "",
                    "run",
                    "variance",
                    "--bootstrap-server",
                    kafka.bootstrapServers(),
                    "--topic",
                    "scraped",
                    "--metrics",
                    Integer.toString(port),
                    "--format",
                    "json",
                    "--duration",
                    "8s"));
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Double> scraped = Map.of();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (scraped.getOrDefault("streamlab_numbers_total", 0.0) < 400
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
            .startsWith("text/plain; version=0.0.4");
        scraped = PrometheusText.parse(response.body());
      } catch (java.net.ConnectException notYet) {
        // the job has not started serving
      }
    }
    CommandRun run = running.get(2, TimeUnit.MINUTES);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("Metrics at http://127.0.0.1:" + port + "/metrics");
    List<String> reports = run.out().lines().toList();
    JsonNode last = LabJson.read(reports.get(reports.size() - 1));
    assertThat(scraped.get("streamlab_numbers_total")).isEqualTo(last.get("n").asDouble());
    assertThat(scraped.get("streamlab_rejected_tokens_total"))
        .isEqualTo(last.get("rejected").asDouble())
        .isEqualTo(200);
    assertThat(scraped.get("streamlab_empty_records_total")).isZero();
    assertThat(scraped.get("streamlab_lost_records_total")).isZero();
    assertThat(scraped.get("streamlab_partition_lag_records{partition=\"0\",topic=\"scraped\"}"))
        .isZero();
    assertThat(
            scraped.get("streamlab_partition_held_back_records{partition=\"0\",topic=\"scraped\"}"))
        .isZero();
    assertThat(scraped.get("streamlab_batch_processing_seconds_count")).isPositive();
    assertThat(scraped.get("streamlab_batch_scheduling_delay_seconds")).isNotNegative();
    assertThat(scraped.get("streamlab_checkpoint_age_seconds")).isBetween(0.0, 60.0);
    assertThat(scraped).containsKey("jvm_threads_current");
  }

  @Test
  void theSavedOffsetsGoToTheCommitGroupWhichIsNeverReadBack(@TempDir Path dir) throws Exception {
    kafka.createTopic("grouped", 1);
    Topics.send(
        kafka.bootstrapServers(),
        "grouped",
        Collections.nCopies(300, "1 2").toArray(String[]::new));
    String[] args = {
      "run",
      "variance",
      "--bootstrap-server",
      kafka.bootstrapServers(),
      "--topic",
      "grouped",
      "--checkpoint",
      dir.resolve("checkpoint").toString(),
      "--commit-group",
      "watchers",
      "--format",
      "json",
      "--duration",
      "5s"
    };
    CommandRun first = CommandRun.of("", args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    TopicPartition partition = new TopicPartition("grouped", 0);
    assertThat(committed("watchers")).containsEntry(partition, new OffsetAndMetadata(300));

    // Someone moves the group back: the job's own saved state still decides where it reads on.
    kafka
        .admin()
        .alterConsumerGroupOffsets("watchers", Map.of(partition, new OffsetAndMetadata(0)))
        .all()
        .get(30, TimeUnit.SECONDS);
    Topics.send(kafka.bootstrapServers(), "grouped", "10 20");
    CommandRun second = CommandRun.of("", args);

    assertThat(second.exitCode()).as(second.err()).isZero();
    List<String> reports = second.out().lines().toList();
    JsonNode last = LabJson.read(reports.get(reports.size() - 1));
    assertThat(last.get("n").asLong()).isEqualTo(602); // every line once, none twice
    assertThat(committed("watchers")).containsEntry(partition, new OffsetAndMetadata(301));
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
    return kafka
        .admin()
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void eachReportGoesToTheOutputTopicKeyedByJobAndBatchTime() throws Exception {
    kafka.createTopic("measured", 1);
    Topics.send(kafka.bootstrapServers(), "measured", "1 2 3", "4 5 6");

    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--topic",
            "measured",
            "--output-topic",
            "results",
            "--window",
            "1s",
            "--slide",
            "1s",
            "--format",
            "json",
            "--duration",
            "4s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> printed = run.out().lines().map(LabJson::read).toList();
    List<JsonNode> reports = printed.subList(0, printed.size() - 1); // the last: the final summary
    Map<String, JsonNode> written = new LinkedHashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition results = new TopicPartition("results", 0);
      consumer.assign(List.of(results));
      consumer.seekToBeginning(List.of(results));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (written.size() < reports.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          assertThat(written.put(record.key(), LabJson.read(record.value())))
              .as("a key written twice: " + record.key())
              .isNull();
        }
      }
    }
    assertThat(written).hasSameSizeAs(reports);
    int i = 0;
    for (Map.Entry<String, JsonNode> entry : written.entrySet()) {
      JsonNode report = reports.get(i++);
      assertThat(entry.getKey()).isEqualTo("variance@" + report.get("time").asText());
      assertThat(entry.getValue().get("n")).isEqualTo(report.get("n"));
      assertThat(entry.getValue().get("var")).isEqualTo(report.get("var"));
      assertThat(entry.getValue().get("lag")).isEqualTo(report.get("lag"));
    }
    assertThat(reports.get(reports.size() - 1).get("n").asLong()).isEqualTo(6);
  }

  @Test
  void aResumedJobWritesTheLastSavedBatchsReportAgainUnderTheSameKeyWithTheSameValue(
      @TempDir Path dir) throws Exception {
    kafka.createTopic("resumed", 1);
    Topics.send(kafka.bootstrapServers(), "resumed", "1 2 3", "4 5 6");
    String[] command =
        VarianceRuns.command(
            kafka.bootstrapServers(),
            "resumed",
            dir.resolve("checkpoint"),
            "--output-topic",
            "resumed-results",
            "--duration",
            "4s");

    CommandRun first = CommandRun.of("", command);
    assertThat(first.exitCode()).as(first.err()).isZero();
    Map<String, List<String>> before = written("resumed-results", 1);
    String lastKey = List.copyOf(before.keySet()).get(before.size() - 1);
    CommandRun second = CommandRun.of("", command);
    assertThat(second.exitCode()).as(second.err()).isZero();
    Map<String, List<String>> after = written("resumed-results", before.size() + 1);

    assertThat(after.get(lastKey))
        .as("written by the run that saved it, then again when the next resumed it")
        .hasSize(2)
        .containsOnly(before.get(lastKey).get(0));
    assertThat(LabJson.read(after.get(lastKey).get(0)).path("n").asLong()).isEqualTo(6);
    after.forEach(
        (key, values) -> {
          if (!key.equals(lastKey)) {
            assertThat(values).as(key).hasSize(1);
          }
        });
    assertThat(second.out().lines().map(LabJson::read))
        .as("not printed again: the second run prints its own batches")
        .noneMatch(report -> lastKey.equals("variance@" + report.path("time").asText()));
  }

  @Test
  void anOutputTopicKafkaRefusesStopsTheJobWithOneLine() throws Exception {
    kafka.createTopic("refused", 1);
    Topics.send(kafka.bootstrapServers(), "refused", "1 2 3");
    Topics.send(kafka.bootstrapServers(), "out_x", "taken");

    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--topic",
            "refused",
            "--output-topic",
            "out.x",
            "--duration",
            "10s");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines().filter(line -> line.contains("out.x")))
        .containsExactly(
            "lab-cli run variance: cannot write the reports to --output-topic out.x"
                + " (InvalidTopicException: Topic 'out.x' collides with existing topic: out_x)");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  /** The values written to {@code topic} by key, once it holds at least {@code records}. */
  private static Map<String, List<String>> written(String topic, int records) {
    Map<String, List<String>> written = new java.util.TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      assertThat(end).as("records on " + topic).isGreaterThanOrEqualTo(records);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          written
              .computeIfAbsent(record.key(), key -> new java.util.ArrayList<>())
              .add(record.value());
        }
      }
    }
    return written;
  }
}
