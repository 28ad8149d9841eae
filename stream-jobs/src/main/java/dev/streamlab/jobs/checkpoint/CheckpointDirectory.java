package dev.streamlab.jobs.checkpoint;

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

/**
 * A job's checkpoint directory, on any Hadoop file system: claimed by one job and build, whose
 * marker ({@value #MARKER}) refuses every other, and released again when the job fails to start.
 * What is inside it, Spark's checkpoint or a job's own state file ({@code
 * dev.streamlab.jobs.kafka.StateStore}), is the job's; {@link Checkpoints} recovers from it.
 */
public final class CheckpointDirectory {

  /** The file naming the job and build a checkpoint directory belongs to. */
  public static final String MARKER = "streamlab-job.properties";

  /** The file of a job that keeps its own state (a job on Kafka), beside the marker. */
  public static final String STATE_FILE = "job-state";

  /** Spark's checkpoint of a batch time, and its backup once rewritten (Checkpoint.scala). */
  private static final Pattern SPARK_CHECKPOINT = Pattern.compile("checkpoint-(\\d+)(\\.bk)?");

  /** Spark's checkpoint files and the jobs' own state. */
  private static final String CHECKPOINT_FILE = SPARK_CHECKPOINT.pattern() + "|" + STATE_FILE;

  private static final String TO_START_FRESH =
      "give another --checkpoint directory to start fresh (this one is left as it is)";

  private final String dir;
  private final org.apache.hadoop.fs.Path path;
  private final FileSystem fs;
  private final boolean existed;

  private CheckpointDirectory(String dir) throws IOException {
    this.dir = dir;
    this.path = new org.apache.hadoop.fs.Path(dir);
    this.fs = fileSystem(path, dir);
    this.existed = fs.exists(path);
    if (existed && !fs.getFileStatus(path).isDirectory()) {
      throw new IllegalStateException("checkpoint directory " + dir + " is a file");
    }
  }

  /**
   * The checkpoint directory {@code dir}, a local path or a Hadoop file system URI; it need not
   * exist yet.
   *
   * @throws IllegalStateException when it is a file or cannot be reached
   */
  public static CheckpointDirectory of(String dir) {
    try {
      return new CheckpointDirectory(dir);
    } catch (IOException e) {
      throw cannotUse(dir, e);
    }
  }

  /** Whether it holds a checkpoint: Spark's, or a job's own state. */
  public boolean holdsCheckpoint() throws IOException {
    return existed
        && Arrays.stream(fs.listStatus(path))
            .anyMatch(file -> file.getPath().getName().matches(CHECKPOINT_FILE));
  }

  /**
   * Checks that the checkpoint here was written by {@code job}, and by this build when {@code
   * sameBuild}: Spark's own checkpoint can be recovered only by the code that wrote it, while a job
   * that keeps its own state reads it whatever build wrote it ({@code
   * dev.streamlab.jobs.kafka.StateStore}'s format says).
   *
   * @throws CheckpointMismatchException when another job wrote it
   * @throws IllegalStateException when another build wrote it, with what to do about it
   */
  void requireWrittenBy(String job, boolean sameBuild) throws IOException {
    Properties marker = marker();
    String writtenBy = marker.getProperty("job");
    if (writtenBy != null && !writtenBy.equals(job)) {
      throw new CheckpointMismatchException(
          "--checkpoint",
          "the checkpoint in "
              + dir
              + " belongs to the '"
              + writtenBy
              + "' job, not to '"
              + job
              + "': give another --checkpoint directory");
    }
    String version = marker.getProperty("version");
    if (sameBuild && version != null && !version.equals(buildVersion())) {
      throw new IllegalStateException(
          "the checkpoint in "
              + dir
              + " was written by version "
              + version
              + ", this is "
              + buildVersion()
              + ": it is Spark's own checkpoint (of a job on a socket or a directory), which only"
              + " the build that wrote it can recover; run version "
              + version
              + " on it to go on, or "
              + TO_START_FRESH);
    }
  }

  /**
   * Checks that a job's own state file is here when the marker says the job keeps one: a marker
   * without it means the state was lost (deleted, or an interrupted rename on an object store),
   * never a new job.
   *
   * @throws IllegalStateException when the state file is missing
   */
  public void requireStateBesideMarker() throws IOException {
    if (STATE_FILE.equals(marker().getProperty("state"))
        && !fs.exists(new org.apache.hadoop.fs.Path(path, STATE_FILE))) {
      throw new IllegalStateException(
          "the checkpoint in "
              + dir
              + " has lost its state: "
              + MARKER
              + " says the '"
              + marker().getProperty("job")
              + "' job keeps it in "
              + STATE_FILE
              + ", which is missing (deleted, or a save cut short on an object store); restore it"
              + " from a copy, or give another --checkpoint directory to start over");
    }
  }

  /**
   * Checks that no Spark checkpoint is here, for a job that keeps its own state: Spark's files are
   * those of a job on a socket or a directory.
   *
   * @throws CheckpointMismatchException when there are
   */
  void requireNoSparkCheckpoint() throws IOException {
    if (existed
        && Arrays.stream(fs.listStatus(path))
            .anyMatch(file -> SPARK_CHECKPOINT.matcher(file.getPath().getName()).matches())) {
      throw new CheckpointMismatchException(
          "--checkpoint",
          "the checkpoint in "
              + dir
              + " holds Spark's checkpoint (checkpoint-…) of a job on a socket or a directory, not"
              + " the state of a job on Kafka: give another --checkpoint directory");
    }
  }

  /**
   * Checks that no Kafka job's own state is here, for a job that uses Spark's checkpoint: that
   * state is not Spark's, and Spark would start anew beside it.
   *
   * @throws CheckpointMismatchException when there is
   */
  void requireNoJobState() throws IOException {
    if (existed
        && (STATE_FILE.equals(marker().getProperty("state"))
            || fs.exists(new org.apache.hadoop.fs.Path(path, STATE_FILE)))) {
      throw new CheckpointMismatchException(
          "--checkpoint",
          "the checkpoint in "
              + dir
              + " holds the state of a job on Kafka ("
              + STATE_FILE
              + "), not Spark's checkpoint of a job on a socket or a directory: give another"
              + " --checkpoint directory");
    }
  }

  /** The job its marker names, or null. */
  public String job() {
    try {
      return existed ? marker().getProperty("job") : null;
    } catch (IOException e) {
      throw cannotUse(dir, e);
    }
  }

  /** Whether a job's own state file is here. */
  boolean hasState() throws IOException {
    return fs.exists(new org.apache.hadoop.fs.Path(path, STATE_FILE));
  }

  private Properties marker() throws IOException {
    Properties marker = new Properties();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, MARKER);
    if (fs.exists(file)) {
      try (InputStream in = fs.open(file)) {
        marker.load(in);
      }
    }
    return marker;
  }

  /** What to do about a checkpoint here that Spark cannot recover, for {@code cause}. */
  String cannotRecover(Throwable cause) {
    String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return "Spark cannot recover its checkpoint in "
        + dir
        + " ("
        + why.lines().findFirst().orElse("")
        + "): it was cut short or changed since it was written, or written by a build from before"
        + " the checkpoints named their build; "
        + TO_START_FRESH;
  }

  /** Whether the directory was there before this job started. */
  public boolean existed() {
    return existed;
  }

  /** Makes the directory, if it is not there: proves it can be. */
  public void create() throws IOException {
    if (!fs.mkdirs(path)) {
      throw new IOException("cannot create it");
    }
  }

  /** Makes the directory for a new {@code job} and marks it as the job's: proves it writable. */
  void claim(String job) throws IOException {
    create();
    mark(job, false);
  }

  /**
   * Marks the directory as {@code job}'s, of this build.
   *
   * @param keepsState whether the job keeps its own state here ({@code
   *     dev.streamlab.jobs.kafka.StateStore}): its marker then says so, and the marker without the
   *     state is an error
   */
  public void mark(String job, boolean keepsState) throws IOException {
    String marker =
        (keepsState
                ? "# The job this checkpoint belongs to, and the build that wrote it last; its state"
                    + " file says which builds read it.\n"
                : "# The job and build this Spark checkpoint belongs to: no other can recover it.\n")
            + "job="
            + job
            + "\nversion="
            + buildVersion()
            + "\n"
            + (keepsState ? "state=" + STATE_FILE + "\n" : "");
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path, MARKER), true)) {
      out.write(marker.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Undoes the start of a new job that failed: a failed start leaves nothing behind. Call only
   * while holding the directory's lock, and only for a job that found no checkpoint here.
   */
  void release() throws IOException {
    if (existed) {
      fs.delete(new org.apache.hadoop.fs.Path(path, MARKER), false);
      fs.delete(new org.apache.hadoop.fs.Path(path, STATE_FILE), false);
    } else {
      fs.delete(path, true);
    }
  }

  /**
   * Where a job reads or writes, as Spark takes it: a Hadoop file system URI ({@code hdfs://…},
   * {@code s3a://…}, {@code file:/…}) as it is, a local path made absolute.
   */
  static String location(String pathOrUri) {
    return hasScheme(pathOrUri) ? pathOrUri : Path.of(pathOrUri).toAbsolutePath().toString();
  }

  /** Whether {@code location} is a URI with a scheme, not a local path. */
  static boolean hasScheme(String location) {
    return location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
  }

  /**
   * Whether Spark has checkpointed the completion of the batch of {@code batchTime} in {@code dir}.
   * It writes {@code checkpoint-<time>} when a batch starts and again when it completes, keeping
   * the first as {@code checkpoint-<time>.bk}; a later batch's checkpoint covers it too.
   *
   * @throws IllegalStateException when the directory cannot be read
   */
  static boolean checkpointedAfter(String dir, long batchTime) {
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
    try (InputStream in = CheckpointDirectory.class.getResourceAsStream("build.properties")) {
      Properties build = new Properties();
      if (in != null) {
        build.load(in);
      }
      return build.getProperty("version", "development");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The failure to use the checkpoint directory {@code dir}, with the reason. */
  public static IllegalStateException cannotUse(String dir, IOException e) {
    return new IllegalStateException(
        "cannot use checkpoint directory " + dir + ": " + reason(e), e);
  }

  private static FileSystem fileSystem(org.apache.hadoop.fs.Path path, String dir) {
    try {
      FileSystem fs = path.getFileSystem(new Configuration());
      // The raw local file system: no .crc files beside the marker.
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw cannotUse(dir, e);
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
