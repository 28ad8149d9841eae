package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The cumulative variance of a Kafka topic of number lines, as a Spark Streaming job.
 *
 * <p>A Kafka direct stream ({@link LineStreams#kafkaRecords}, every partition assigned) feeds
 * {@link CumulativeVariance}; the reports go to the {@link ReportSinks sink} named in the settings.
 * A new job starts from the earliest offsets (or the latest); a job restarted on the same
 * checkpoint directory continues from the state and offsets saved there after its last batch
 * ({@link VarianceStore}), so nothing is lost or counted twice, even after {@code kill -9}.
 *
 * <p>Run it with {@code bin/lab-cli run variance}, or on a cluster with {@code spark-submit …
 * lab-cli-<version>-job.jar run variance --bootstrap-server HOST:PORT} (see the README).
 */
public final class VarianceJob {

  /** Everything the job needs. */
  public record Settings(
      String bootstrapServers,
      String topic,
      Duration batch,
      Duration window,
      Duration slide,
      String checkpointDir,
      String master,
      boolean fromLatest,
      String sinkName)
      implements Serializable {

    public Settings {
      CumulativeVariance.requireMultiple("window", window, batch);
      CumulativeVariance.requireMultiple("slide", slide, batch);
    }
  }

  private VarianceJob() {}

  /**
   * The job's streaming context: recovered from {@code settings.checkpointDir()} when it holds a
   * checkpoint, otherwise new.
   *
   * @throws IllegalStateException when the checkpoint cannot be recovered (written by another build
   *     of this job, say), with what to do about it
   */
  public static JavaStreamingContext getOrCreate(Settings settings) {
    return Checkpoints.getOrCreate(settings.checkpointDir(), "variance", () -> create(settings));
  }

  static JavaStreamingContext create(Settings settings) {
    JavaStreamingContext context =
        new JavaStreamingContext(
            SparkSettings.conf("variance", settings.master()),
            new org.apache.spark.streaming.Duration(settings.batch().toMillis()));
    try {
      VarianceStore store = new VarianceStore(settings.checkpointDir());
      VarianceStore.Saved start =
          store
              .load()
              .orElseGet(
                  () ->
                      new VarianceStore.Saved(
                          VarianceState.start(
                              CumulativeVariance.windowBatches(
                                  settings.window(), settings.batch())),
                          Map.of()));
      CumulativeVariance.build(
          LineStreams.kafkaRecords(
              context,
              settings.bootstrapServers(),
              settings.topic(),
              settings.fromLatest(),
              start.offsets()),
          settings.batch(),
          settings.window(),
          settings.slide(),
          store,
          start,
          settings.sinkName());
      return context;
    } catch (RuntimeException e) {
      // An unreachable Kafka, say: no SparkContext may outlive the failure (one per JVM).
      context.sparkContext().stop();
      throw e;
    }
  }
}
