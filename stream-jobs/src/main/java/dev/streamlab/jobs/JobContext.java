package dev.streamlab.jobs;

import dev.streamlab.jobs.checkpoint.CheckpointLock;
import dev.streamlab.jobs.checkpoint.Checkpoints;
import dev.streamlab.jobs.kafka.KafkaInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * A job's streaming context, created on its {@link Source} or recovered from its checkpoint, with
 * what the run counts beside the job's reports. Every job's {@code getOrCreate} comes here.
 *
 * <p>The source decides where the job's progress is kept:
 *
 * <ul>
 *   <li>Kafka: the offsets, and the job's state, in the job's own file of the checkpoint directory
 *       ({@link KafkaInput}); Spark's checkpoint is not used, since its recovery of a Kafka stream
 *       can skip records. A job without a checkpoint directory starts anew each time.
 *   <li>A socket or a directory: Spark's checkpoint, in the checkpoint directory ({@link
 *       Checkpoints}), when there is one.
 * </ul>
 */
public final class JobContext {

  private final JavaStreamingContext streaming;
  private final KafkaInput kafka;

  private JobContext(JavaStreamingContext streaming, KafkaInput kafka) {
    this.streaming = streaming;
    this.kafka = kafka;
  }

  /**
   * The context of the job {@code job} (its name, kept in the checkpoint directory so that another
   * job's checkpoint is refused) that runs {@code pipeline} as {@code settings} say.
   *
   * @throws IllegalStateException when the source or the checkpoint cannot be used (Kafka not
   *     there, a checkpoint of another job or build), with what to do about it
   */
  public static JobContext getOrCreate(String job, JobSettings settings, Pipeline pipeline) {
    String dir = settings.checkpointDir();
    if (settings.source() instanceof Source.Kafka kafka) {
      // The job's own state file is its checkpoint: the directory is claimed, locked and checked
      // (job, build) as Spark's is, and Spark's own checkpoint is not used.
      Function<CheckpointLock, JobContext> create =
          lock ->
              create(
                  job,
                  settings,
                  context -> {
                    KafkaInput input =
                        KafkaInput.open(
                            context,
                            kafka.kafka(),
                            job,
                            dir,
                            lock,
                            JobStates.CODECS,
                            settings.kafkaNotices() == null
                                ? null
                                : settings.kafkaNotices()::deliver);
                    pipeline.build(input);
                    return input;
                  });
      return dir == null
          ? create.apply(null)
          : Checkpoints.keepingState(dir, job, create, JobContext::streaming);
    }
    Builder builder = context -> build(context, settings, pipeline);
    if (dir == null) {
      return create(job, settings, builder);
    }
    AtomicReference<JobContext> created = new AtomicReference<>();
    JavaStreamingContext streaming =
        Checkpoints.getOrCreate(
            dir,
            job,
            () -> {
              created.set(create(job, settings, builder));
              return created.get().streaming;
            });
    return created.get() != null ? created.get() : new JobContext(streaming, null);
  }

  /** The streaming context, to start, await and stop. */
  public JavaStreamingContext streaming() {
    return streaming;
  }

  /**
   * How many Kafka records without a value, or with an empty one, the job's batches have read (zero
   * unless it reads Kafka); see {@link KafkaInput#emptyRecords()}.
   */
  public long emptyRecords() {
    return kafka != null ? kafka.emptyRecords() : 0;
  }

  /** How a new context gets its input and pipeline; returns the Kafka input, if any. */
  @FunctionalInterface
  private interface Builder {
    KafkaInput build(JavaStreamingContext context) throws IOException;
  }

  private static JobContext create(String job, JobSettings settings, Builder builder) {
    JavaStreamingContext context =
        new JavaStreamingContext(
            SparkSettings.conf(job, settings.master()),
            new org.apache.spark.streaming.Duration(settings.batch().toMillis()));
    try {
      return new JobContext(context, builder.build(context));
    } catch (RuntimeException | IOException e) {
      // An unreachable Kafka, say: no SparkContext may outlive the failure (one per JVM).
      context.sparkContext().stop();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  private static KafkaInput build(
      JavaStreamingContext context, JobSettings settings, Pipeline pipeline) throws IOException {
    if (settings.checkpointDir() != null) {
      context.checkpoint(settings.checkpointDir());
    }
    if (settings.source() instanceof Source.Socket socket) {
      pipeline.build(LineStreams.socket(context, socket.host(), socket.port()));
    } else if (settings.source() instanceof Source.Directory directory) {
      if (!Checkpoints.hasScheme(directory.location())) {
        // After the checkpoint directory: a failed start makes neither.
        Files.createDirectories(Path.of(directory.location()));
      }
      pipeline.build(LineStreams.directory(context, directory.location()));
    }
    return null;
  }
}
