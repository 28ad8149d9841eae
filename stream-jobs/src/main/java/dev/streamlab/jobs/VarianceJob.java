package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The cumulative variance of a Kafka topic of number lines, as a Spark Streaming job.
 *
 * <p>A Kafka direct stream ({@link LineStreams#kafka}, every partition assigned) feeds {@link
 * CumulativeVariance}; the reports go to the {@link ReportSinks sink} named in the settings. A new
 * job starts from the earliest offsets (or the latest); a job restarted on the same checkpoint
 * directory continues from its checkpoint: offsets and state are restored together, so nothing is
 * lost or counted twice.
 *
 * <p>Run it with {@code bin/lab-cli run variance}, or on a cluster with {@code spark-submit …
 * lab-cli-<version>-job.jar run variance --bootstrap-server HOST:PORT} (see the README).
 */
public final class VarianceJob {

  /** Everything the job needs; the checkpoint keeps it too, so a recovered job uses the same. */
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
      context.checkpoint(settings.checkpointDir());
      JavaDStream<String> lines =
          LineStreams.kafka(
              context, settings.bootstrapServers(), settings.topic(), settings.fromLatest());
      ReportSinks.deliver(
          CumulativeVariance.build(lines, settings.batch(), settings.window(), settings.slide()),
          settings.sinkName());
      return context;
    } catch (RuntimeException e) {
      // An unreachable Kafka, say: no SparkContext may outlive the failure (one per JVM).
      context.sparkContext().stop();
      throw e;
    }
  }
}
