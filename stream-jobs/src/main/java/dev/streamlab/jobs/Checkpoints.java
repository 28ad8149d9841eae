package dev.streamlab.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** Starting a job from its checkpoint directory, with a clear error when that cannot be done. */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * The streaming context recovered from {@code dir} when it holds a checkpoint, otherwise the one
   * {@code create} builds (which must set {@code dir} as its checkpoint directory).
   *
   * @throws IllegalStateException when the checkpoint cannot be recovered (written by another build
   *     or another job, say), with what to do about it
   */
  public static JavaStreamingContext getOrCreate(
      String dir, Function0<JavaStreamingContext> create) {
    try {
      return JavaStreamingContext.getOrCreate(dir, create);
    } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
      if (hasCheckpoint(dir)) {
        throw new IllegalStateException(
            "cannot recover the checkpoint in "
                + dir
                + " (it was written by another build or another job); delete it, or give another"
                + " --checkpoint directory, to start fresh",
            e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  /**
   * Where a job reads or writes, as Spark takes it: a Hadoop file system URI ({@code hdfs://…},
   * {@code s3a://…}, {@code file:/…}) as it is, a local path made absolute.
   */
  public static String location(String pathOrUri) {
    return hasScheme(pathOrUri) ? pathOrUri : Path.of(pathOrUri).toAbsolutePath().toString();
  }

  /** Whether {@code location} is a URI with a scheme, not a local path. */
  public static boolean hasScheme(String location) {
    return location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
  }

  private static boolean hasCheckpoint(String dir) {
    if (hasScheme(dir)) {
      return false; // a remote file system: Spark's own error has to do
    }
    try (var files = Files.list(Path.of(dir))) {
      return files.anyMatch(file -> file.getFileName().toString().startsWith("checkpoint-"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
