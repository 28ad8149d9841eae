package dev.streamlab.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Starting a job from its checkpoint directory, with a clear error when that cannot be done.
 *
 * <p>Beside Spark's own files, a checkpoint directory holds {@value #MARKER}: the job and the build
 * that wrote it. A checkpoint of another job, or of another version of this one (which Spark cannot
 * recover: its checkpoints hold serialized code), is refused by name before Spark reads it. A
 * directory made for a new job that then fails to start is removed again, so a failed start leaves
 * nothing behind.
 */
public final class Checkpoints {

  /** The file naming the job and build a checkpoint directory belongs to. */
  static final String MARKER = "streamlab-job.properties";

  /** Spark's checkpoint of a batch time, and its backup once rewritten (Checkpoint.scala). */
  private static final Pattern SPARK_CHECKPOINT = Pattern.compile("checkpoint-(\\d+)(\\.bk)?");

  /** Spark's checkpoint files and the jobs' own state. */
  private static final String CHECKPOINT_FILE = SPARK_CHECKPOINT.pattern() + "|" + StateStore.FILE;

  private static final String TO_START_FRESH =
      "delete it, or give another --checkpoint directory, to start fresh";

  private Checkpoints() {}

  /**
   * The streaming context of {@code job} recovered from {@code dir} when it holds a checkpoint,
   * otherwise the one {@code create} builds (which must set {@code dir} as its checkpoint
   * directory).
   *
   * @param dir a local path or a Hadoop file system URI
   * @param job the job's name, kept in the directory so that another job's checkpoint is refused
   * @throws IllegalStateException when the directory cannot be used, or holds a checkpoint of
   *     another job or build, or one that cannot be recovered; with what to do about it
   */
  public static JavaStreamingContext getOrCreate(
      String dir, String job, Function0<JavaStreamingContext> create) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = fileSystem(path, dir);
    try {
      boolean existed = fs.exists(path);
      if (existed && !fs.getFileStatus(path).isDirectory()) {
        throw new IllegalStateException("checkpoint directory " + dir + " is a file");
      }
      if (existed && hasCheckpoint(fs, path)) {
        return recover(fs, path, dir, job, create);
      }
      start(fs, path, dir, job);
      try {
        return create.call();
      } catch (Exception e) {
        if (existed) {
          fs.delete(new org.apache.hadoop.fs.Path(path, MARKER), false);
        } else {
          fs.delete(path, true);
        }
        // SparkException is checked: its message, not its class name, is what a user reads
        throw e instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException(e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot use checkpoint directory " + dir + ": " + reason(e), e);
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

  /**
   * Whether Spark has checkpointed the completion of the batch of {@code batchTime} in {@code dir}.
   * It writes {@code checkpoint-<time>} when a batch starts and again when it completes, keeping
   * the first as {@code checkpoint-<time>.bk}; a later batch's checkpoint covers it too.
   *
   * @throws IllegalStateException when the directory cannot be read
   */
  public static boolean checkpointedAfter(String dir, long batchTime) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
    try {
      for (FileStatus file : fileSystem(path, dir).listStatus(path)) {
        Matcher name = SPARK_CHECKPOINT.matcher(file.getPath().getName());
        if (name.matches()) {
          long time = Long.parseLong(name.group(1));
          if (time > batchTime || (time == batchTime && name.group(2) != null)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read checkpoint directory " + dir + ": " + reason(e), e);
    }
  }

  /** The build of this code, as the checkpoint marker records it. */
  static String buildVersion() {
    try (InputStream in = Checkpoints.class.getResourceAsStream("build.properties")) {
      Properties build = new Properties();
      if (in != null) {
        build.load(in);
      }
      return build.getProperty("version", "development");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JavaStreamingContext recover(
      FileSystem fs,
      org.apache.hadoop.fs.Path path,
      String dir,
      String job,
      Function0<JavaStreamingContext> create)
      throws IOException {
    Properties marker = readMarker(fs, path);
    String writtenBy = marker.getProperty("job");
    if (writtenBy != null && !writtenBy.equals(job)) {
      throw new IllegalStateException(
          "the checkpoint in "
              + dir
              + " belongs to the '"
              + writtenBy
              + "' job, not to '"
              + job
              + "': give another --checkpoint directory");
    }
    String version = marker.getProperty("version");
    if (version != null && !version.equals(buildVersion())) {
      throw new IllegalStateException(
          "the checkpoint in "
              + dir
              + " was written by version "
              + version
              + ", this is "
              + buildVersion()
              + ", and Spark cannot recover a checkpoint across builds; "
              + TO_START_FRESH);
    }
    try {
      return JavaStreamingContext.getOrCreate(dir, create);
    } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
      throw new IllegalStateException(
          "cannot recover the checkpoint in "
              + dir
              + " (it was written by another build or another job); "
              + TO_START_FRESH,
          e);
    }
  }

  /** Makes the directory of a new job and marks it as the job's: proves it is writable, too. */
  private static void start(FileSystem fs, org.apache.hadoop.fs.Path path, String dir, String job)
      throws IOException {
    if (!fs.mkdirs(path)) {
      throw new IOException("cannot create it");
    }
    String marker =
        "# The job and build this Spark checkpoint belongs to: no other can recover it.\n"
            + "job="
            + job
            + "\nversion="
            + buildVersion()
            + "\n";
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path, MARKER), true)) {
      out.write(marker.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Properties readMarker(FileSystem fs, org.apache.hadoop.fs.Path path)
      throws IOException {
    Properties marker = new Properties();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, MARKER);
    if (fs.exists(file)) {
      try (InputStream in = fs.open(file)) {
        marker.load(in);
      }
    }
    return marker;
  }

  private static boolean hasCheckpoint(FileSystem fs, org.apache.hadoop.fs.Path path)
      throws IOException {
    FileStatus[] files = fs.listStatus(path);
    return Arrays.stream(files).anyMatch(file -> file.getPath().getName().matches(CHECKPOINT_FILE));
  }

  private static FileSystem fileSystem(org.apache.hadoop.fs.Path path, String dir) {
    try {
      FileSystem fs = path.getFileSystem(new Configuration());
      // The raw local file system: no .crc files beside the marker.
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot use checkpoint directory " + dir + ": " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
