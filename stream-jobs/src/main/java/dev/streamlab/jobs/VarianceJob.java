package dev.streamlab.jobs;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Run it with {@code bin/lab-cli run variance}.
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
    try {
      return JavaStreamingContext.getOrCreate(settings.checkpointDir(), () -> create(settings));
    } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
      if (hasCheckpoint(settings.checkpointDir())) {
        throw new IllegalStateException(
            "cannot recover the checkpoint in "
                + settings.checkpointDir()
                + " (it was written by another build or another job); delete it, or give another"
                + " --checkpoint directory, to start fresh",
            e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
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
      CumulativeVariance.deliver(
          CumulativeVariance.build(lines, settings.batch(), settings.window(), settings.slide()),
          settings.sinkName());
      return context;
    } catch (RuntimeException e) {
      // An unreachable Kafka, say: no SparkContext may outlive the failure (one per JVM).
      context.stop(true, false);
      throw e;
    }
  }

  private static boolean hasCheckpoint(String dir) {
    try (var files = Files.list(Path.of(dir))) {
      return files.anyMatch(file -> file.getFileName().toString().startsWith("checkpoint-"));
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }
}
