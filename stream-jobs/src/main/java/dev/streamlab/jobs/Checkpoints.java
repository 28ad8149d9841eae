package dev.streamlab.jobs;

import java.io.IOException;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Starting a job from its checkpoint directory, with a clear error when that cannot be done.
 *
 * <p>The directory ({@link CheckpointDirectory}) names the job and the build that wrote it. A
 * checkpoint of another job, or of another version of this one (which Spark cannot recover: its
 * checkpoints hold serialized code), is refused by name before Spark reads it. A directory made for
 * a new job that then fails to start is removed again, so a failed start leaves nothing behind.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * The streaming context of {@code job} recovered from {@code dir} when it holds a checkpoint
   * (Spark's, or a job's own state file), otherwise the one {@code create} builds on {@code dir}:
   * with {@code context.checkpoint(dir)}, or keeping its own state there ({@link KafkaInput}).
   *
   * @param dir a local path or a Hadoop file system URI
   * @param job the job's name, kept in the directory so that another job's checkpoint is refused
   * @throws IllegalStateException when the directory cannot be used, or holds a checkpoint of
   *     another job or build, or one that cannot be recovered; with what to do about it
   */
  public static JavaStreamingContext getOrCreate(
      String dir, String job, Function0<JavaStreamingContext> create) {
    CheckpointDirectory directory = CheckpointDirectory.of(dir);
    try {
      if (directory.holdsCheckpoint()) {
        directory.requireWrittenBy(job);
        try {
          return JavaStreamingContext.getOrCreate(dir, create);
        } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
          throw new IllegalStateException(directory.cannotRecover(), e);
        }
      }
      directory.claim(job);
      try {
        return create.call();
      } catch (Exception e) {
        directory.release();
        // SparkException is checked: its message, not its class name, is what a user reads
        throw e instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException(e.getMessage(), e);
      }
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
  }

  /**
   * Where a job reads or writes, as Spark takes it: a Hadoop file system URI ({@code hdfs://…},
   * {@code s3a://…}, {@code file:/…}) as it is, a local path made absolute.
   */
  public static String location(String pathOrUri) {
    return CheckpointDirectory.location(pathOrUri);
  }

  /** Whether {@code location} is a URI with a scheme, not a local path. */
  public static boolean hasScheme(String location) {
    return CheckpointDirectory.hasScheme(location);
  }

  /**
   * Whether Spark has checkpointed the completion of the batch of {@code batchTime} in {@code dir}
   * (its checkpoint of that batch rewritten, or a later one).
   *
   * @throws IllegalStateException when the directory cannot be read
   */
  public static boolean checkpointedAfter(String dir, long batchTime) {
    return CheckpointDirectory.checkpointedAfter(dir, batchTime);
  }
}
