package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaInput;
import dev.streamlab.variance.Tally;
import java.util.List;
import java.util.Objects;

/**
 * The cumulative variance of a Kafka topic of number lines: after every batch, a {@link
 * VarianceReport} with the statistics of every valid number since the start.
 *
 * <p>Each batch's lines are parsed in their partitions into {@link Tally tallies} and reduced to
 * one tally, which the driver merges into the {@link VarianceState} exactly once ({@link
 * KafkaInput#fold}). The new state and the offsets the batch read up to are then saved together
 * ({@link StateStore}) before the report goes out; so the cumulative result counts every number
 * once, whatever the window and slide, and a job restarted on the same checkpoint directory reads
 * on from exactly where it stopped, even after {@code kill -9}. A report is due (to be printed)
 * when its batch time is a multiple of the slide interval. A job that resumes a saved state first
 * reports again the batch that left it ({@link VarianceReport#resumed}), for outputs that must hold
 * every saved batch's report. Every partition is read, also those added later ({@link
 * LineStreams#kafkaRecords}).
 *
 * <p>Run it with {@code bin/lab-cli run variance}, or on a cluster with {@code spark-submit …
 * lab-cli-<version>-job.jar run variance --bootstrap-server HOST:PORT} (see the README).
 */
public final class VarianceJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "variance";

  private VarianceJob() {}

  /**
   * The job's context, on the Kafka topic of {@code settings}, its reports going to {@code sink}: a
   * new job starts where its {@link KafkaSource} says, a job restarted on the same checkpoint
   * directory from the state and offsets saved there after its last batch.
   *
   * @throws IllegalStateException when Kafka is not there, or the checkpoint directory cannot be
   *     used (written by another job, say), with what to do about it
   */
  public static JobContext getOrCreate(WindowSettings settings, ReportSink<VarianceReport> sink) {
    Objects.requireNonNull(sink, "sink");
    if (!(settings.job().source() instanceof Source.Kafka)) {
      throw new IllegalArgumentException(
          "the variance job reads a Kafka topic, was " + settings.job().source());
    }
    return JobContext.getOrCreate(
        NAME,
        settings.job(),
        Pipeline.of(
            lines -> {
              throw new IllegalStateException("the variance job reads Kafka"); // checked above
            },
            input -> pipeline(input, settings, sink)));
  }

  /** The job's pipeline on {@code input}: a report after every batch, to {@code sink}. */
  static void pipeline(KafkaInput input, WindowSettings settings, ReportSink<VarianceReport> sink) {
    long slideMillis = settings.slide().toMillis();
    input.fold(
        VarianceState.start(settings.windowBatches()),
        (state, lines, time) ->
            state.advance(
                lines
                    .mapPartitions(partition -> List.of(Tally.of(partition)).iterator())
                    .fold(Tally.EMPTY, Tally::plus)),
        (state, batch) -> sink.deliver(report(state, batch, slideMillis, false)));
    input.<VarianceState>reportLastSaved(
        (state, batch) -> sink.deliver(report(state, batch, slideMillis, true)));
  }

  private static VarianceReport report(
      VarianceState state, KafkaInput.Batch batch, long slideMillis, boolean resumed) {
    return new VarianceReport(
        batch.timeMillis(),
        state.total(),
        state.window(),
        batch.timeMillis() % slideMillis == 0,
        batch.lostRecords(),
        batch.lostInBatch(),
        batch.stalls(),
        batch.lag(),
        resumed);
  }
}
