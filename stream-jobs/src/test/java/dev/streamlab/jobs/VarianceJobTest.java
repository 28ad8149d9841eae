package dev.streamlab.jobs;

import static dev.streamlab.jobs.VarianceRuns.assertExact;
import static dev.streamlab.jobs.VarianceRuns.awaitCount;
import static dev.streamlab.jobs.VarianceRuns.last;
import static dev.streamlab.jobs.VarianceRuns.newSink;
import static dev.streamlab.jobs.VarianceRuns.offsetLines;
import static dev.streamlab.jobs.VarianceRuns.reportsOf;
import static dev.streamlab.jobs.VarianceRuns.send;
import static dev.streamlab.jobs.VarianceRuns.sendBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.VarianceRuns.Run;
import dev.streamlab.jobs.checkpoint.CheckpointMismatchException;
import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.HostileLines;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The variance job on a real Kafka broker and Spark in local[2] mode. */
class VarianceJobTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @TempDir Path checkpoint;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void cumulativeStatisticsEqualEverythingSentExactly() throws Exception {
    List<String> lines = offsetLines(new Random(1), 300);
    send(kafka.bootstrapServers(), "exact", null, lines);

    List<VarianceReport> reports =
        runUntilCounted("exact", SECOND.multipliedBy(2), Tally.of(lines.iterator()));

    assertExact(last(reports).cumulative(), Tally.of(lines.iterator()));
    assertThat(reports).anyMatch(VarianceReport::due);
  }

  @Test
  void aWindowLongerThanTheSlideCountsNothingTwice() throws Exception {
    Random random = new Random(2);
    List<String> all = new ArrayList<>();
    ReportSink<VarianceReport> sink = newSink();
    JavaStreamingContext context = settings("windowed", SECOND.multipliedBy(4), sink).getOrCreate();
    context.start();
    try {
      // Ten rounds over 6.3 s: more than a window of four 1 s batches can hold.
      for (int round = 0; round < 10; round++) {
        List<String> lines = offsetLines(random, 40);
        all.addAll(lines);
        send(kafka.bootstrapServers(), "windowed", null, lines);
        TimeUnit.MILLISECONDS.sleep(700);
      }
      awaitCount(sink, Tally.of(all.iterator()).stats().count());
    } finally {
      context.stop(true, true);
    }
    List<VarianceReport> reports = reportsOf(sink);
    assertExact(last(reports).cumulative(), Tally.of(all.iterator()));
    // The window holds the last four batches only: never more than everything.
    assertThat(reports)
        .allSatisfy(
            report ->
                assertThat(report.window().stats().count())
                    .isLessThanOrEqualTo(report.cumulative().stats().count()));
    assertThat(reports.stream().mapToLong(r -> r.window().stats().count()).max().orElse(0))
        .isLessThan(all.size() * 6L);
  }

  @Test
  void rejectedTokensAreCountedAndGoodNumbersUnaffected() throws Exception {
    List<String> lines = List.of("1 2 x 3", "NaN 4 1e400", "", "5 Infinity 6", "1e9+4 7");
    send(kafka.bootstrapServers(), "bad", null, lines);

    List<VarianceReport> reports =
        runUntilCounted("bad", SECOND.multipliedBy(2), Tally.of(lines.iterator()));

    Tally result = last(reports).cumulative();
    assertThat(result.stats()).isEqualTo(Stats.of(1, 2, 3, 4, 5, 6, 7));
    assertThat(result.rejected()).isEqualTo(5);
    assertThat(result.emptyLines()).isEqualTo(1);
  }

  @Test
  void hostileLinesChangeNothingButTheRejectedCount() throws Exception {
    HostileLines.NumberLines hostile = HostileLines.numbers(11, 600);
    sendBytes(kafka.bootstrapServers(), "hostile", hostile.lines());

    long empty = hostile.lines().stream().filter(line -> line.length == 0).count();
    Tally expected = new Tally(Stats.of(hostile.good()), hostile.bad(), empty);
    List<VarianceReport> reports = runUntilCounted("hostile", SECOND.multipliedBy(2), expected);

    assertExact(last(reports).cumulative(), expected);
  }

  /**
   * And the restarted job first reports again the last batch the first run saved ({@link
   * VarianceReport#resumed}), the same report, before any batch of its own.
   */
  @Test
  void restartsFromTheCheckpointWithoutLosingOrDoubleCounting() throws Exception {
    Random random = new Random(3);
    List<String> before = offsetLines(random, 200);
    List<String> whileDown = offsetLines(random, 150);
    List<String> after = offsetLines(random, 100);
    ReportSink<VarianceReport> sink = newSink();
    Run settings = settings("restart", SECOND.multipliedBy(2), sink);

    send(kafka.bootstrapServers(), "restart", null, before);
    JavaStreamingContext first = settings.getOrCreate();
    first.start();
    awaitCount(sink, Tally.of(before.iterator()).stats().count());
    first.stop(true, true);
    List<VarianceReport> ofTheFirstRun = List.copyOf(reportsOf(sink));
    assertThat(ofTheFirstRun).noneMatch(VarianceReport::resumed);

    send(kafka.bootstrapServers(), "restart", null, whileDown);
    JavaStreamingContext second = settings.getOrCreate();
    VarianceReport saved = last(ofTheFirstRun);
    assertThat(reportsOf(sink).subList(ofTheFirstRun.size(), reportsOf(sink).size()))
        .as("made again when the job resumes, before it starts")
        .containsExactly(
            new VarianceReport(
                saved.timeMillis(),
                saved.cumulative(),
                saved.window(),
                saved.due(),
                saved.lostRecords(),
                saved.lostInBatch(),
                saved.stalls(),
                saved.lag(),
                true));
    second.start();
    send(kafka.bootstrapServers(), "restart", null, after);
    List<String> all = new ArrayList<>(before);
    all.addAll(whileDown);
    all.addAll(after);
    try {
      awaitCount(sink, Tally.of(all.iterator()).stats().count());
      TimeUnit.SECONDS.sleep(2); // a few more batches: nothing may arrive twice
    } finally {
      second.stop(true, true);
    }
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(all.iterator()));
    assertThat(reportsOf(sink)).filteredOn(VarianceReport::resumed).hasSize(1);
  }

  @Test
  void aCheckpointOfSomethingElseIsAClearError() throws IOException {
    Files.writeString(checkpoint.resolve("checkpoint-1700000000000"), "not a checkpoint");

    assertThatThrownBy(() -> settings("other", SECOND.multipliedBy(2), newSink()).getOrCreate())
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessage(
            "the checkpoint in "
                + checkpoint
                + " holds Spark's checkpoint (checkpoint-…) of a job on a socket or a directory,"
                + " not the state of a job on Kafka: give another --checkpoint directory");
  }

  @Test
  void anUnreachableKafkaLeavesNoSparkContextBehind() {
    Run unreachable =
        new Run(
            WindowSettings.of(
                    JobSettings.of(Source.kafka(KafkaSource.of("127.0.0.1:1", "nowhere")))
                        .master("local[2]")
                        .checkpointDir(checkpoint.toString()))
                .window(SECOND.multipliedBy(2))
                .slide(SECOND.multipliedBy(2)),
            newSink());

    assertThatThrownBy(() -> unreachable.getOrCreate())
        .hasMessage(
            "Kafka is unreachable at 127.0.0.1:1: cannot look up topic nowhere (no answer within"
                + " 15 s): is Kafka running there?");
    assertThat(org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty()).isTrue();
  }

  @Test
  void windowAndSlideMustBeMultiplesOfTheBatch() {
    assertThatThrownBy(() -> settings("x", Duration.ofMillis(2500), newSink()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "window must be a positive multiple of the batch interval 1000 ms, was 2500 ms");
  }

  // --- helpers ---

  private List<VarianceReport> runUntilCounted(String topic, Duration window, Tally expected)
      throws Exception {
    ReportSink<VarianceReport> sink = newSink();
    JavaStreamingContext context = settings(topic, window, sink).getOrCreate();
    context.start();
    try {
      awaitCount(sink, expected.stats().count());
    } finally {
      context.stop(true, true);
    }
    return reportsOf(sink);
  }

  private Run settings(String topic, Duration window, ReportSink<VarianceReport> sink) {
    return new Run(
        WindowSettings.of(
                JobSettings.of(Source.kafka(KafkaSource.of(kafka.bootstrapServers(), topic)))
                    .master("local[2]")
                    .checkpointDir(checkpoint.toString()))
            .window(window)
            .slide(SECOND.multipliedBy(2)),
        sink);
  }
}
