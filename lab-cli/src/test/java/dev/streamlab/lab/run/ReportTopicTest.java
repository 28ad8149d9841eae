package dev.streamlab.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output-topic}'s writer on real brokers: a write returns only once the broker has the
 * report, so that the job never saves a batch past a report that is not written; it waits out a
 * broker that is away, and a topic Kafka refuses stops it with one line.
 */
class ReportTopicTest {

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  private static final long TIME = Instant.parse("2026-12-06T05:00:00Z").toEpochMilli();

  @Test
  void aWriteWaitsForABrokerThatIsAwayAndReturnsOnceItIsBackWithTheReport(@TempDir Path dir)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + port;
    StringWriter err = new StringWriter();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", port, dir.resolve("kafka"));
    try (ReportTopic reports =
        new ReportTopic(
            bootstrap,
            Map.of(),
            "reports",
            "variance",
            new PrintWriter(err),
            Duration.ofSeconds(2))) {
      reports.write(report(TIME, 1));
      broker.close();

      CompletableFuture<Void> second =
          CompletableFuture.runAsync(() -> reports.write(report(TIME + 1000, 2)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!err.toString().contains("the job waits for the broker")
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      assertThat(err.toString())
          .contains(
              "warning: cannot write the report variance@2026-12-06T05:00:01Z to topic reports (not"
                  + " acknowledged within 2 s); the job waits for the broker and tries again, so"
                  + " that no saved batch's report is lost");
      assertThat(second).as("waiting, not given up").isNotDone();

      broker = EmbeddedKafkaBroker.start("127.0.0.1", port, dir.resolve("kafka"));
      second.get(120, TimeUnit.SECONDS);
      assertThat(err.toString())
          .contains(
              "the report variance@2026-12-06T05:00:01Z is written to topic reports; the job goes on");
      assertThat(Topics.readAll(bootstrap, "reports"))
          .containsExactly(
              LabJson.write(LabJson.object().put("n", 1)),
              LabJson.write(LabJson.object().put("n", 2)));
    } finally {
      broker.close();
    }
  }

  @Test
  void aTopicKafkaRefusesIsOneLineAndNoWrite() throws Exception {
    Topics.send(kafka.bootstrapServers(), "out_x", "taken");
    StringWriter err = new StringWriter();
    try (ReportTopic reports =
        new ReportTopic(
            kafka.bootstrapServers(), Map.of(), "out.x", "variance", new PrintWriter(err))) {
      assertThatThrownBy(() -> reports.write(report(TIME, 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "cannot write the reports to --output-topic out.x (InvalidTopicException: Topic"
                  + " 'out.x' collides with existing topic: out_x)");
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void theFinalSummaryIsNotWrittenAndAResumedReportIs() throws Exception {
    try (ReportTopic reports =
        new ReportTopic(
            kafka.bootstrapServers(),
            Map.of(),
            "kinds",
            "variance",
            new PrintWriter(new StringWriter()))) {
      reports.write(new Printed(TIME, "", LabJson.object().put("n", 1), Printed.Kind.RESUMED));
      reports.write(new Printed(TIME + 1000, "", LabJson.object().put("n", 2), Printed.Kind.BATCH));
      reports.write(new Printed(TIME + 1000, "", LabJson.object().put("n", 2), Printed.Kind.FINAL));
    }
    assertThat(Topics.readAll(kafka.bootstrapServers(), "kinds"))
        .containsExactly(
            LabJson.write(LabJson.object().put("n", 1)),
            LabJson.write(LabJson.object().put("n", 2)));
  }

  private static Printed report(long timeMillis, long n) {
    return new Printed(timeMillis, "", LabJson.object().put("n", n), Printed.Kind.BATCH);
  }
}
