package dev.streamlab.jobs.checkpoint;

import java.io.IOException;
import java.util.function.Function;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
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
   * with {@code context.checkpoint(dir)}, or keeping its own state there ({@code KafkaInput}).
   *
   * @param dir a local path or a Hadoop file system URI
   * @param job the job's name, kept in the directory so that another job's checkpoint is refused
   * @throws IllegalStateException when the directory cannot be used, or holds a checkpoint of
   *     another job or build, or one that cannot be recovered; with what to do about it
   */
  public static JavaStreamingContext getOrCreate(
      String dir, String job, Function0<JavaStreamingContext> create) {
    CheckpointDirectory directory = CheckpointDirectory.of(dir);
    CheckpointLock lock = lock(directory, dir, job);
    try {
      JavaStreamingContext context;
      directory.requireNoJobState();
      if (directory.holdsCheckpoint()) {
        directory.requireWrittenBy(job, true);
        try {
          context = JavaStreamingContext.getOrCreate(dir, create);
        } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
          throw new IllegalStateException(directory.cannotRecover(e), e);
        }
      } else {
        directory.claim(job);
        try {
          context = create.call();
        } catch (Exception e) {
          directory.release();
          // SparkException is checked: its message, not its class name, is what a user reads
          throw e instanceof RuntimeException runtime
              ? runtime
              : new IllegalStateException(e.getMessage(), e);
        }
      }
      releaseWhenStopped(context, lock);
      return context;
    } catch (IOException e) {
      lock.release();
      throw CheckpointDirectory.cannotUse(dir, e);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  /**
   * What a job that keeps its own state in {@code dir} ({@code KafkaInput}) makes there, while it
   * holds the directory's lock: {@code create} is given the lock, to check before each save, and
   * reads or writes the state itself. The directory is claimed for {@code job}, and another job's
   * refused, as {@link #getOrCreate}'s, but not another build's: the state's own format tells
   * whether this build reads it; a marker whose state file is gone is an error. A new job's start
   * that fails leaves nothing behind.
   *
   * @param streaming the streaming context of what {@code create} made: the lock is released when
   *     it stops
   * @throws IllegalStateException when the directory cannot be used, another job holds it, or it
   *     holds another job's or build's checkpoint
   */
  public static <T> T keepingState(
      String dir,
      String job,
      Function<CheckpointLock, T> create,
      Function<T, JavaStreamingContext> streaming) {
    CheckpointDirectory directory = CheckpointDirectory.of(dir);
    CheckpointLock lock = lock(directory, dir, job);
    try {
      boolean resumed = directory.hasState();
      directory.requireWrittenBy(job, false);
      directory.requireNoSparkCheckpoint();
      if (!resumed) {
        directory.requireStateBesideMarker();
      }
      T context;
      try {
        context = create.apply(lock);
      } catch (RuntimeException e) {
        if (!resumed) {
          directory.release(); // before the lock: no other job may start in between
        }
        throw e;
      }
      directory.mark(job, true); // after the first save: a marker never stands without a state
      releaseWhenStopped(streaming.apply(context), lock);
      return context;
    } catch (IOException e) {
      lock.release();
      throw CheckpointDirectory.cannotUse(dir, e);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  /** Makes the directory if need be, and takes its lock for {@code job}. */
  private static CheckpointLock lock(CheckpointDirectory directory, String dir, String job) {
    try {
      directory.create();
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
    return CheckpointLock.acquire(dir, job);
  }

  /** Releases {@code lock} when the Spark context of {@code context} stops. */
  private static void releaseWhenStopped(JavaStreamingContext context, CheckpointLock lock) {
    if (context == null) {
      return; // what a test's create may give
    }
    context
        .sparkContext()
        .sc()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onApplicationEnd(SparkListenerApplicationEnd end) {
                lock.release();
              }
            });
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
