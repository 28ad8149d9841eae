package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.cluster.FreePorts;
import dev.streamlab.variance.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker (a {@code producer-cli broker} process) stops while the variance job (a {@code
 * lab-cli run variance} process) and a producer run, then starts again on the same address and data
 * directory: the job warns, keeps going, and its final result is exact.
 *
 * <p>The outage lasts 20 s ({@code -Dstreamlab.outage=300} makes it 5 minutes, for a run by hand),
 * with the Kafka clients' own timeouts lowered to 5 s ({@code request.timeout.ms}, {@code
 * default.api.timeout.ms}, through {@code --kafka-property}), so the outage is four times longer
 * than any of them, and 40 times the longest the job's driver waits for Kafka in a batch (half a 1
 * s batch; then the batch reads nothing). That is the path of any longer outage: with the defaults
 * (60 s), spark-streaming-kafka-0-10's driver failed once they had passed.
 */
class BrokerLossIT {

  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("streamlab.outage", 20));

  /** Kafka's client timeouts, lowered from 30 s and 60 s: the outage outlasts them. */
  private static final String[] SHORT_CLIENT_TIMEOUTS = {
    "--kafka-property", "request.timeout.ms=5000", "--kafka-property", "default.api.timeout.ms=5000"
  };

  @TempDir Path dir;

  @Test
  void theJobWaitsOutABrokerAwayAndLosesNothing() throws Exception {
    int port = FreePorts.onLoopback(1)[0];
    String address = "127.0.0.1:" + port;
    String[] brokerCommand = {
      "broker", "--port", Integer.toString(port), "--data-dir", dir.resolve("kafka").toString()
    };
    JobProcess broker = JobProcess.producerCli(dir.resolve("broker"), brokerCommand);
    JobProcess job = null;
    Producer producer = new Producer(address, "away", 20, OUTAGE.plusSeconds(20));
    Producer after = new Producer(address, "away", 20, Duration.ofSeconds(20));
    try {
      broker.awaitLine(line -> line.contains(address), Duration.ofSeconds(60));
      job = countingJob(address, "away", producer);

      // The producer's records wait for the broker up to its delivery timeout (120 s): through a
      // longer outage, the test sends before it and after it instead.
      boolean sendThrough = OUTAGE.compareTo(Duration.ofSeconds(100)) < 0;
      Tally before = sendThrough ? null : producer.stop();
      broker.signal("TERM");
      assertThat(broker.awaitExit(Duration.ofSeconds(30))).as(broker.err()).isZero();
      long acknowledgedBefore = producer.acknowledgedLines();
      TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
      assertThat(job.isAlive()).as("the job outlives its broker").isTrue();
      assertThat(job.err())
          .contains("warning: Kafka broker " + address + " is unreachable")
          .contains("the job waits for it");

      broker = JobProcess.producerCli(dir.resolve("broker"), brokerCommand);
      broker.awaitLine(line -> line.contains(address), Duration.ofSeconds(60));
      Tally sent;
      if (sendThrough) {
        sent = producer.finish();
      } else {
        after.start();
        sent = before.plus(after.finish());
      }
      assertThat(sent.stats().count() / 6)
          .as("lines were sent after the broker came back")
          .isGreaterThan(acknowledgedBefore);

      job.awaitLine(line -> VarianceRuns.n(line) == sent.stats().count(), Duration.ofSeconds(120));
      job.signal("TERM");
      assertThat(job.awaitExit(Duration.ofSeconds(30))).as(job.err()).isZero();
      VarianceRuns.assertExact(VarianceRuns.finalSummary(job), sent.stats());
      assertThat(job.err()).containsPattern("Kafka broker " + address + " is back after \\d+ s");
      assertThat(job.err()).doesNotContain("Exception").doesNotContain("ERROR");
    } finally {
      producer.stop();
      after.stop();
      if (job != null) {
        job.close();
      }
      broker.close();
    }
  }

  @Test
  void aStopWhileTheBrokerIsAwayEndsWithinSecondsWithWhatWasSaved() throws Exception {
    int port = FreePorts.onLoopback(1)[0];
    String address = "127.0.0.1:" + port;
    JobProcess broker =
        JobProcess.producerCli(
            dir.resolve("broker"),
            "broker",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dir.resolve("kafka").toString());
    JobProcess job = null;
    Producer producer = new Producer(address, "stop", 20, Duration.ofSeconds(60));
    try {
      broker.awaitLine(line -> line.contains(address), Duration.ofSeconds(60));
      job = countingJob(address, "stop", producer);
      producer.stop(); // its records wait for no broker: the job's stop is what is measured

      broker.signal("TERM");
      assertThat(broker.awaitExit(Duration.ofSeconds(30))).as(broker.err()).isZero();
      awaitErr(job, "is unreachable");
      TimeUnit.SECONDS.sleep(3); // batches go on, reading nothing

      job.signal("TERM");
      assertThat(job.awaitExit(Duration.ofSeconds(15)))
          .as("exit within 15 s: %s", job.err())
          .isZero();
      List<String> reports = job.outLines();
      JsonNode summary = VarianceRuns.finalSummary(job);
      assertThat(summary.get("n").asLong())
          .as("the summary is the last report")
          .isEqualTo(VarianceRuns.n(reports.get(reports.size() - 2)));
      assertThat(job.err()).contains("Stopping now: Kafka is unreachable");
    } finally {
      producer.stop();
      if (job != null) {
        job.close();
      }
      broker.close();
    }
  }

  /**
   * The variance job on {@code topic}, once it has counted something that {@code producer} sent.
   */
  private JobProcess countingJob(String address, String topic, Producer producer) throws Exception {
    JobProcess job =
        JobProcess.labCli(
            dir.resolve("job"),
            VarianceRuns.command(address, topic, dir.resolve("checkpoint"), SHORT_CLIENT_TIMEOUTS));
    try {
      job.awaitLine(line -> true, Duration.ofSeconds(90));
      producer.start();
      job.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      return job;
    } catch (Exception | AssertionError e) {
      job.close();
      throw e;
    }
  }

  private static void awaitErr(JobProcess run, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!run.err().contains(text) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    assertThat(run.err()).contains(text);
  }
}
