package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.variance.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker (a {@code producer-cli broker} process) stops for 10 s while the variance job (a
 * {@code lab-cli run variance} process) and a producer run, then starts again on the same address
 * and data directory: the job warns, keeps going, and its final result is exact.
 */
class BrokerLossIT {

  @TempDir Path dir;

  @Test
  void theJobWaitsOutABrokerAwayForTenSecondsAndLosesNothing() throws Exception {
    int port = FreePorts.onLoopback(1)[0];
    String address = "127.0.0.1:" + port;
    String[] brokerCommand = {
      "broker", "--port", Integer.toString(port), "--data-dir", dir.resolve("kafka").toString()
    };
    JobProcess broker = JobProcess.producerCli(dir.resolve("broker"), brokerCommand);
    JobProcess job = null;
    Producer producer = new Producer(address, "away", 20, Duration.ofSeconds(30));
    try {
      broker.awaitLine(line -> line.contains(address), Duration.ofSeconds(60));
      job =
          JobProcess.labCli(
              dir.resolve("job"), VarianceRuns.command(address, "away", dir.resolve("checkpoint")));
      job.awaitLine(line -> true, Duration.ofSeconds(90));
      producer.start();
      job.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));

      broker.signal("TERM");
      assertThat(broker.awaitExit(Duration.ofSeconds(30))).as(broker.err()).isZero();
      long acknowledgedBefore = producer.acknowledgedLines();
      TimeUnit.SECONDS.sleep(10);
      assertThat(job.isAlive()).as("the job outlives its broker").isTrue();
      assertThat(job.err())
          .contains("warning: Kafka broker " + address + " is unreachable")
          .contains("the job waits for it");

      broker = JobProcess.producerCli(dir.resolve("broker"), brokerCommand);
      broker.awaitLine(line -> line.contains(address), Duration.ofSeconds(60));
      Tally sent = producer.finish();
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
      if (job != null) {
        job.close();
      }
      broker.close();
    }
  }
}
