package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the variance job's JVM at five points of a run, each time restarted with the
 * same command on the same checkpoint, while a producer keeps sending: the final n, Σx and Σx²
 * equal those of every line the broker acknowledged, and no report ever counts more.
 *
 * <p>The job starts at the latest offsets, so a restart that ignored its checkpoint would skip what
 * was sent while it was down, and fail the test, instead of reading it all again.
 */
class JobCrashIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // kept for a look when the test fails
  Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void killedAtFivePointsAndRestartedItCountsEveryNumberOnce() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    String[] command =
        VarianceRuns.command(
            kafka.bootstrapServers(), "crash", checkpoint, "--starting-offsets", "latest");
    List<JobProcess> runs = new ArrayList<>();
    Producer producer = new Producer(kafka.bootstrapServers(), "crash", 30, Duration.ofSeconds(45));
    try {
      // 1: as soon as it has counted something.
      JobProcess first = start(runs, command);
      first.awaitLine(line -> true, Duration.ofSeconds(90)); // running: the offsets are fixed
      producer.start();
      first.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      first.kill();

      // 2: 4 s after its start, while Spark starts and recovers the checkpoint.
      JobProcess second = start(runs, command);
      TimeUnit.SECONDS.sleep(4);
      second.kill();

      // 3: as soon as it has printed its first report, the batch it recovered.
      JobProcess third = start(runs, command);
      third.awaitLine(line -> true, Duration.ofSeconds(90));
      third.kill();

      // 4: right after a batch, while its checkpoint is being written.
      JobProcess fourth = start(runs, command);
      fourth.awaitLine(line -> true, Duration.ofSeconds(90));
      fourth.awaitLine(line -> true, Duration.ofSeconds(30));
      fourth.awaitLine(line -> true, Duration.ofSeconds(30));
      fourth.kill();

      // 5: in the middle of a batch.
      JobProcess fifth = start(runs, command);
      fifth.awaitLine(line -> true, Duration.ofSeconds(90));
      fifth.awaitLine(line -> true, Duration.ofSeconds(30));
      TimeUnit.MILLISECONDS.sleep(500);
      fifth.kill();

      Tally sent = producer.finish();
      assertThat(sent.stats().count()).isGreaterThan(1_000);

      JobProcess last = start(runs, command);
      last.awaitLine(line -> VarianceRuns.n(line) == sent.stats().count(), Duration.ofSeconds(120));
      last.signal("TERM");
      assertThat(last.awaitExit(Duration.ofSeconds(60))).as(last.err()).isZero();

      VarianceRuns.assertExact(VarianceRuns.finalSummary(last), sent.stats());
      for (JobProcess run : runs) {
        assertThat(run.outLines())
            .as("no report counts a number twice")
            .allSatisfy(
                line -> assertThat(VarianceRuns.n(line)).isLessThanOrEqualTo(sent.stats().count()));
      }
    } finally {
      producer.stop();
      for (JobProcess run : runs) {
        run.close();
      }
    }
  }

  private JobProcess start(List<JobProcess> runs, String... command) throws IOException {
    JobProcess run = JobProcess.labCli(dir, command);
    runs.add(run);
    return run;
  }
}
