package dev.streamlab.jobs;

import dev.streamlab.jobs.checkpoint.Checkpoints;
import dev.streamlab.jobs.kafka.KafkaNotice;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job runs, whatever it computes: its {@link Source}, batch interval, Spark master and
 * checkpoint directory. Immutable; each {@code with}-style method returns a changed copy.
 *
 * <pre>{@code
 * JobSettings.of(Source.socket("127.0.0.1", 9999)).batch(Duration.ofSeconds(10)).checkpointDir(dir)
 * }</pre>
 */
public final class JobSettings implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Source source;
  private final Duration batch;
  private final String master;
  private final String checkpointDir;
  private final ReportSink<KafkaNotice> kafkaNotices;

  private JobSettings(
      Source source,
      Duration batch,
      String master,
      String checkpointDir,
      ReportSink<KafkaNotice> kafkaNotices) {
    this.source = Objects.requireNonNull(source, "source");
    if (batch.toMillis() <= 0) {
      throw new IllegalArgumentException("batch must be at least 1 ms, was " + batch);
    }
    this.batch = batch;
    this.master = Objects.requireNonNull(master, "master");
    this.checkpointDir = checkpointDir;
    this.kafkaNotices = kafkaNotices;
  }

  /**
   * A job on {@code source}: 1 s batches, the master {@code spark-submit} gave ({@code
   * spark.master}) or else {@code local[2]}, no checkpoint directory.
   */
  public static JobSettings of(Source source) {
    return new JobSettings(
        source, Duration.ofSeconds(1), System.getProperty("spark.master", "local[2]"), null, null);
  }

  /** These settings with batches of {@code batch}. */
  public JobSettings batch(Duration batch) {
    return new JobSettings(source, batch, master, checkpointDir, kafkaNotices);
  }

  /** These settings on the Spark master {@code master} ({@code local[2]}, {@code spark://…}). */
  public JobSettings master(String master) {
    return new JobSettings(source, batch, master, checkpointDir, kafkaNotices);
  }

  /**
   * These settings with the checkpoint directory {@code dir} (a path or a Hadoop URI; null for
   * none): a job restarted on it continues where it stopped.
   */
  public JobSettings checkpointDir(String dir) {
    return new JobSettings(
        source, batch, master, dir == null ? null : Checkpoints.location(dir), kafkaNotices);
  }

  /**
   * These settings with the Kafka reader's {@link KafkaNotice notices} (a partition standing still,
   * a topic counted anew) delivered to {@code notices}; without it they are not said.
   */
  public JobSettings kafkaNotices(ReportSink<KafkaNotice> notices) {
    return new JobSettings(source, batch, master, checkpointDir, notices);
  }

  public Source source() {
    return source;
  }

  public Duration batch() {
    return batch;
  }

  public String master() {
    return master;
  }

  /** The checkpoint directory, or null when the job has none. */
  public String checkpointDir() {
    return checkpointDir;
  }

  /** Where the Kafka reader's notices go, or null when nowhere. */
  public ReportSink<KafkaNotice> kafkaNotices() {
    return kafkaNotices;
  }

  /**
   * Checks that {@code value}, the {@code name} of a job (a window, a slide), is a positive
   * multiple of the batch interval.
   *
   * @throws IllegalArgumentException when it is not
   */
  void requireMultipleOfBatch(String name, Duration value) {
    if (value.toMillis() <= 0 || value.toMillis() % batch.toMillis() != 0) {
      throw new IllegalArgumentException(
          name
              + " must be a positive multiple of the batch interval "
              + batch.toMillis()
              + " ms, was "
              + value.toMillis()
              + " ms");
    }
  }

  /** The number of batches a window of {@code window} covers. */
  int batchesIn(Duration window) {
    return (int) (window.toMillis() / batch.toMillis());
  }

  @Override
  public String toString() {
    return "JobSettings[source="
        + source
        + ", batch="
        + batch
        + ", master="
        + master
        + ", checkpointDir="
        + checkpointDir
        + "]";
  }
}
