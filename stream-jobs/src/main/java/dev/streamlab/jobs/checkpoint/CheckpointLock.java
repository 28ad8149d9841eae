package dev.streamlab.jobs.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One job at a time in a checkpoint directory: a lease in the file {@value #FILE}, which names the
 * process that holds it and which that process renews while it runs.
 *
 * <ul>
 *   <li><b>Taken</b> by creating the file, which fails when it exists: {@code O_EXCL} on a local
 *       disk, a create that does not overwrite on HDFS (atomic there). A second job finds the file
 *       and is refused at once, with the holder's host, process and job named.
 *   <li><b>Renewed</b> every {@value #RENEW_SECONDS} s: the holder sets the file's modification
 *       time (on HDFS and object stores, it writes the file again). <b>Released</b> when the job
 *       stops, and when its JVM exits.
 *   <li><b>Stale</b> after a crash ({@code kill -9}, a power loss, a lost machine), on any Hadoop
 *       file system: when the holder is on this host and its process is gone (its process id is not
 *       running, or runs a process started at another time), at once; otherwise when the lease has
 *       not been renewed for {@value #LEASE_SECONDS} s. A stale lease is taken over.
 *   <li><b>Fenced</b>: before each save the holder checks that the file still names it. A holder
 *       that froze for longer than the lease (a stopped VM, a long pause) and was taken over finds
 *       another name there and stops without saving.
 * </ul>
 *
 * <p>On an object store without an atomic create-if-absent (s3a before conditional writes, gs,
 * abfs), two jobs started within the same moment can both take the lease; the fence then stops one
 * of them at its first save, before it saves anything.
 *
 * <p>Within one JVM a lease is re-entrant: a job started again in the process that holds it (a
 * test, a benchmark's next phase) takes it over. Spark allows one streaming context per JVM, so two
 * jobs of one process never run at once.
 */
public final class CheckpointLock implements AutoCloseable {

  /** The lease's file, in the checkpoint directory. */
  public static final String FILE = "streamlab-job.lock";

  static final long RENEW_SECONDS = 5;
  static final long LEASE_SECONDS = 30;

  /** This process: its id, when it started, and its host. */
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  private static final String STARTED =
      ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("unknown");

  private static final String HOST = hostName();

  private static final ScheduledExecutorService RENEWALS =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "streamlab-checkpoint-lock");
            thread.setDaemon(true);
            return thread;
          });

  /** The leases this JVM holds, released at its exit. */
  private static final Map<String, CheckpointLock> HELD = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> HELD.values().forEach(CheckpointLock::release),
                "streamlab-checkpoint-lock-release"));
  }

  private final String dir;
  private final Path path;
  private final FileSystem fs;
  private final java.nio.file.Path localFile; // on this machine's disk, or null
  private final String owner = UUID.randomUUID().toString();
  private volatile boolean released;

  private byte[] content; // what this lease's file holds, once taken

  /**
   * @param throughHadoop whether to use Hadoop's file system even on this machine's disk (what a
   *     test of the path taken on HDFS and object stores needs)
   */
  private CheckpointLock(String dir, boolean throughHadoop) {
    this.dir = dir;
    this.path = new Path(dir, FILE);
    String scheme = path.toUri().getScheme();
    this.localFile =
        !throughHadoop && (scheme == null || scheme.equals("file"))
            ? java.nio.file.Path.of(path.toUri().getPath())
            : null;
    try {
      FileSystem system = path.getFileSystem(new Configuration());
      this.fs = system instanceof LocalFileSystem local ? local.getRaw() : system;
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
  }

  /**
   * Takes the lease of the checkpoint directory {@code dir}, which must exist, for {@code job}.
   *
   * @throws CheckpointLockedException when another job holds it, naming that job
   * @throws IllegalStateException when the directory cannot be written
   */
  public static CheckpointLock acquire(String dir, String job) {
    return acquire(dir, job, false);
  }

  /** As {@link #acquire(String, String)}, through Hadoop's file system if {@code throughHadoop}. */
  static CheckpointLock acquire(String dir, String job, boolean throughHadoop) {
    CheckpointLock lock = new CheckpointLock(dir, throughHadoop);
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        if (lock.create(job)) {
          HELD.put(lock.path.toString(), lock);
          RENEWALS.scheduleWithFixedDelay(
              lock::renew, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
          return lock;
        }
        Optional<Holder> holder = lock.holder();
        if (holder.isEmpty()) {
          continue; // released between the two looks: try again
        }
        Duration age = lock.age();
        if (!holder.get().gone(age)) {
          throw holder.get().owner().isEmpty()
              ? CheckpointLockedException.unreadable(
                  dir, Math.max(1, LEASE_SECONDS - age.toSeconds()))
              : new CheckpointLockedException(dir, holder.get().describe());
        }
        lock.delete(); // stale: taken over
      }
      throw new CheckpointLockedException(dir, "another job starting at the same moment");
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
  }

  /**
   * Checks that this process still holds the lease, before a save.
   *
   * @throws IllegalStateException when another job took it over, or it was released
   */
  public void requireHeld() {
    Optional<Holder> holder;
    try {
      holder = holder();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lock of checkpoint directory " + dir, e);
    }
    if (released || holder.isEmpty() || !holder.get().owner().equals(owner)) {
      throw new IllegalStateException(
          "this job no longer holds the lock of checkpoint directory "
              + dir
              + (holder.isPresent() ? " (" + holder.get().describe() + " took it over)" : "")
              + ": it stops without saving, so that two jobs never write one checkpoint");
    }
  }

  /** Gives the lease up, if this process still holds it. Idempotent. */
  public void release() {
    if (released) {
      return;
    }
    released = true;
    HELD.remove(path.toString(), this);
    try {
      Optional<Holder> holder = holder();
      if (holder.isPresent() && holder.get().owner().equals(owner)) {
        delete();
      }
    } catch (IOException | RuntimeException e) {
      // The lease expires by itself; a stop must not fail for it.
    }
  }

  @Override
  public void close() {
    release();
  }

  /** Who holds a lease, as its file says. */
  private record Holder(String owner, String host, String pid, String started, String job) {

    /**
     * Whether its holder is gone: a process of this host that no longer runs, or a lease not
     * renewed for longer than {@link #LEASE_SECONDS}.
     */
    boolean gone(Duration age) {
      if (age.toSeconds() > LEASE_SECONDS) {
        return true;
      }
      if (!host.equals(HOST)) {
        return false;
      }
      if (pid.equals(PID) && started.equals(STARTED)) {
        return true; // this very process, a job before this one: re-entrant
      }
      try {
        return ProcessHandle.of(Long.parseLong(pid))
            .map(
                process ->
                    !process.isAlive()
                        || !process
                            .info()
                            .startInstant()
                            .map(Instant::toString)
                            .orElse("unknown")
                            .equals(started))
            .orElse(true);
      } catch (NumberFormatException e) {
        return false;
      }
    }

    String describe() {
      return "the '" + job + "' job of process " + pid + " on " + host;
    }
  }

  private boolean create(String job) throws IOException {
    String content =
        "# The process whose job holds this checkpoint directory; renewed every "
            + RENEW_SECONDS
            + " s, stale after "
            + LEASE_SECONDS
            + " s.\nowner="
            + owner
            + "\nhost="
            + HOST
            + "\npid="
            + PID
            + "\nstarted="
            + STARTED
            + "\njob="
            + job
            + "\n";
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (localFile != null) {
      try {
        Files.write(localFile, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    } else {
      try (OutputStream out = fs.create(path, false)) {
        out.write(bytes);
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      }
    }
    this.content = bytes;
    return true;
  }

  private Optional<Holder> holder() throws IOException {
    String content;
    try {
      if (localFile != null) {
        content = Files.readString(localFile);
      } else {
        try (InputStream in = fs.open(path)) {
          content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    properties.load(new StringReader(content));
    return Optional.of(
        new Holder(
            properties.getProperty("owner", ""),
            properties.getProperty("host", "?"),
            properties.getProperty("pid", "?"),
            properties.getProperty("started", "?"),
            properties.getProperty("job", "?")));
  }

  /** How long since the lease was last renewed. */
  private Duration age() throws IOException {
    long modified;
    try {
      modified =
          localFile != null
              ? Files.getLastModifiedTime(localFile).toMillis()
              : fs.getFileStatus(path).getModificationTime();
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - modified));
  }

  private void renew() {
    if (released) {
      throw new IllegalStateException("released"); // ends this renewal's schedule
    }
    try {
      Optional<Holder> holder = holder();
      if (holder.isEmpty() || !holder.get().owner().equals(owner)) {
        return; // taken over: the next save finds out
      }
      if (localFile != null) {
        Files.setLastModifiedTime(localFile, FileTime.fromMillis(System.currentTimeMillis()));
      } else {
        // Written again: object stores (s3a, gs, abfs) ignore setTimes.
        try (OutputStream out = fs.create(path, true)) {
          out.write(content);
        }
      }
    } catch (IOException e) {
      // A file system away for a moment: the next renewal tries again.
    }
  }

  private void delete() throws IOException {
    if (localFile != null) {
      Files.deleteIfExists(localFile);
    } else {
      fs.delete(path, false);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
