package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.producer.feed.RsvpGenerator;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Feeds;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and Ctrl-C (SIGINT) stop a job in its own JVM gracefully: the batch in flight finishes,
 * the checkpoint is written (a restart continues from it, losing nothing), the final summary is
 * printed and the exit code is 0. A stop keeps its word: it ends within one batch interval and a
 * few seconds, after the batch it announced (a receiver job with 10 s batches, below); the other
 * limits only catch a stop that hangs.
 */
class GracefulStopIT {

  private static final Duration HANGS = Duration.ofSeconds(30);
  private static final Duration STARTS = Duration.ofSeconds(90);

  /** What a stop may take beyond its batch: the batch's processing and stopping Spark. */
  private static final int STOP_SLACK_SECONDS = 5;

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void sigtermAndCtrlCStopTheVarianceJobAfterItsBatchAndTheRestartContinues() throws Exception {
    assumeTrue(JobProcess.receivesSigint(), "this JVM ignores SIGINT and env cannot reset it");
    String[] command =
        VarianceRuns.command(
            kafka.bootstrapServers(),
            "stops",
            dir.resolve("checkpoint"),
            "--starting-offsets",
            "latest");
    Producer producer = new Producer(kafka.bootstrapServers(), "stops", 25, Duration.ofSeconds(20));
    List<JobProcess> runs = new ArrayList<>();
    try {
      JobProcess first = start(runs, command);
      first.awaitLine(line -> true, Duration.ofSeconds(90));
      producer.start();
      first.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      JsonNode stoppedAt = stop(first, "TERM");

      JobProcess second = start(runs, command);
      String resumed = second.awaitLine(line -> true, Duration.ofSeconds(90));
      assertThat(VarianceRuns.n(resumed))
          .as("the restart starts from the checkpoint of the stop")
          .isGreaterThanOrEqualTo(stoppedAt.get("n").asLong());
      second.awaitLine(line -> VarianceRuns.n(line) > stoppedAt.get("n").asLong(), HANGS);
      stop(second, "INT");

      Tally sent = producer.finish();
      JobProcess last = start(runs, command);
      last.awaitLine(line -> VarianceRuns.n(line) == sent.stats().count(), Duration.ofSeconds(90));
      JsonNode summary = stop(last, "TERM");
      VarianceRuns.assertExact(summary, sent.stats());
    } finally {
      producer.stop();
      for (JobProcess run : runs) {
        run.close();
      }
    }
  }

  @Test
  void sigtermStopsASocketJobWithItsSummary() throws Exception {
    RsvpGenerator generator = new RsvpGenerator(5);
    Thread serving;
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      serving =
          Feeds.serveInBackground(
              server, Stream.generate(() -> generator.next().json()).limit(400).toList(), 20);
      try (JobProcess job =
          JobProcess.labCli(
              dir,
              "run",
              "venues",
              "--socket",
              "127.0.0.1:" + server.port(),
              "--batch",
              "2s",
              "--format",
              "json")) {
        job.awaitLine(line -> line.contains("\"rsvps\":") && !line.contains("\"rsvps\":0"), HANGS);
        job.signal("TERM");

        assertThat(job.awaitExit(HANGS)).as(job.err()).isZero();
        assertThat(job.err()).containsPattern("Stopped after \\d+ batches: [1-9]\\d* RSVPs");
        assertThat(job.err()).doesNotContain("Exception");
      }
    }
    serving.join(5_000);
  }

  @Test
  void aReceiverJobStopsAfterTheBatchItAnnouncesWithinABatchIntervalOfTheSignal() throws Exception {
    assumeTrue(JobProcess.receivesSigint(), "this JVM ignores SIGINT and env cannot reset it");
    try (JobProcess job = JobProcess.labCli(dir, "run", "venues", "--format", "json")) {
      job.awaitLine(line -> line.contains("\"rsvps\":") && !line.contains("\"rsvps\":0"), STARTS);
      long signalled = System.nanoTime();
      job.signal("INT");
      job.awaitErr("Stopping after the batch of ", HANGS);
      Matcher announced = Pattern.compile("due in (\\d+)s").matcher(job.err());
      assertThat(announced.find()).as(job.err()).isTrue();
      assertThat(job.awaitExit(HANGS)).as(job.err()).isZero();
      double seconds = (System.nanoTime() - signalled) / 1e9;

      int due = Integer.parseInt(announced.group(1));
      assertThat(due).as("the next batch but one second: 10 s batches").isBetween(1, 11);
      assertThat(seconds).as(job.err()).isLessThan(due + STOP_SLACK_SECONDS);
      assertThat(lastBatch(job)).as("the last batch holds what came until the stop").isPositive();
      assertThat(job.err())
          .containsPattern("Stopped after \\d+ batches")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aReceiverJobEndsWithinABatchIntervalOfItsDuration() throws Exception {
    try (JobProcess job =
        JobProcess.labCli(dir, "run", "venues", "--format", "json", "--duration", "12s")) {
      // The duration counts from the job's start, before its first batch
      job.awaitLine(line -> line.contains("\"rsvps\":"), STARTS);
      long firstBatch = System.nanoTime();
      assertThat(job.awaitExit(HANGS.multipliedBy(2))).as(job.err()).isZero();
      double seconds = (System.nanoTime() - firstBatch) / 1e9;

      assertThat(seconds).as(job.err()).isLessThan(12 + 10 + 1 + STOP_SLACK_SECONDS);
      assertThat(lastBatch(job)).as("no empty batch after the feed").isPositive();
    }
  }

  /** The RSVPs of the job's last batch. */
  private static long lastBatch(JobProcess job) throws IOException {
    List<String> batches = job.outLines().stream().filter(l -> l.contains("\"rsvps\":")).toList();
    return LabJson.read(batches.get(batches.size() - 1)).get("rsvps").asLong();
  }

  private JobProcess start(List<JobProcess> runs, String... command) throws IOException {
    JobProcess run = JobProcess.labCli(dir, command);
    runs.add(run);
    return run;
  }

  /** Stops {@code run} with {@code signal}; returns its final summary. */
  private static JsonNode stop(JobProcess run, String signal) throws Exception {
    run.signal(signal);
    assertThat(run.awaitExit(HANGS)).as(run.err()).isZero();
    return VarianceRuns.finalSummary(run);
  }
}
