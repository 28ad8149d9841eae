package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The cumulative variance of a Kafka topic of number lines, as a Spark Streaming job.
 *
 * <p>The topic's records ({@link LineStreams#kafkaRecords}, every partition, also those added
 * later) feed {@link CumulativeVariance}; the reports go to the {@link ReportSinks sink} named in
 * the settings. A new job starts where its {@link KafkaSource} says; a job restarted on the same
 * checkpoint directory continues from the state and offsets saved there after its last batch
 * ({@link StateStore}), so nothing is lost or counted twice, even after {@code kill -9}.
 *
 * <p>Run it with {@code bin/lab-cli run variance}, or on a cluster with {@code spark-submit …
 * lab-cli-<version>-job.jar run variance --bootstrap-server HOST:PORT} (see the README).
 */
public final class VarianceJob {

  /** Everything the job needs. */
  public record Settings(
      KafkaSource kafka,
      Duration batch,
      Duration window,
      Duration slide,
      String checkpointDir,
      String master,
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
      StateStore<VarianceState> store = new StateStore<>(settings.checkpointDir());
      StateStore.Saved<VarianceState> start =
          store
              .load()
              .orElseGet(
                  () ->
                      StateStore.Saved.start(
                          VarianceState.start(
                              CumulativeVariance.windowBatches(
                                  settings.window(), settings.batch()))));
      CumulativeVariance.build(
          LineStreams.kafkaRecords(context, settings.kafka(), start.offsets()),
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
