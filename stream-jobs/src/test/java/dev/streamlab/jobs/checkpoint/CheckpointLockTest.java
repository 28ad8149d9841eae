package dev.streamlab.jobs.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lease of a checkpoint directory ({@link CheckpointLock}), on this machine's disk and through
 * Hadoop's file system (the path HDFS and object stores take): held against a second job while its
 * holder runs, taken over once the holder's process is gone or its lease has not been renewed for
 * {@value CheckpointLock#LEASE_SECONDS} s, renewed while held, and fenced when another job took it.
 * The holders other than this JVM are real processes, or files written as another host's would be.
 */
class CheckpointLockTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "through Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void aSecondJobIsRefusedWhileTheHolderRunsAndTakesOverOnceItsProcessIsGone(boolean hadoop)
      throws Exception {
    Process holder = new ProcessBuilder("sleep", "120").start();
    try {
      String started = holder.info().startInstant().map(Instant::toString).orElse("unknown");
      writeLease(host(), Long.toString(holder.pid()), started);

      assertThatThrownBy(() -> CheckpointLock.acquire(dir.toString(), "word-count", hadoop))
          .isInstanceOf(CheckpointLockedException.class)
          .hasMessage(
              "checkpoint directory "
                  + dir
                  + " is in use by the 'variance' job of process "
                  + holder.pid()
                  + " on "
                  + host()
                  + ": one job at a time; stop that one first, or give another --checkpoint"
                  + " directory (the lock of a job that crashed on another host expires 30 s after"
                  + " its last renewal)");
    } finally {
      holder.destroyForcibly().waitFor();
    }

    try (CheckpointLock lock = CheckpointLock.acquire(dir.toString(), "variance", hadoop)) {
      lock.requireHeld();
      assertThat(Files.readString(lease())).contains("pid=" + ProcessHandle.current().pid());
    }
    assertThat(lease()).as("released").doesNotExist();
  }

  @ParameterizedTest(name = "through Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void aLeaseOfAnotherHostHoldsUntilItIsNotRenewedForThirtySeconds(boolean hadoop)
      throws Exception {
    writeLease("elsewhere.example", "4242", "2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> CheckpointLock.acquire(dir.toString(), "variance", hadoop))
        .isInstanceOf(CheckpointLockedException.class)
        .hasMessageContaining("the 'variance' job of process 4242 on elsewhere.example");

    Files.setLastModifiedTime(lease(), FileTime.from(Instant.now().minusSeconds(31)));
    try (CheckpointLock lock = CheckpointLock.acquire(dir.toString(), "variance", hadoop)) {
      lock.requireHeld();
    }
  }

  @ParameterizedTest(name = "through Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void aHeldLeaseIsRenewed(boolean hadoop) throws Exception {
    try (CheckpointLock lock = CheckpointLock.acquire(dir.toString(), "variance", hadoop)) {
      Instant old = Instant.now().minusSeconds(25);
      Files.setLastModifiedTime(lease(), FileTime.from(old));
      TimeUnit.SECONDS.sleep(CheckpointLock.RENEW_SECONDS + 2);
      assertThat(Files.getLastModifiedTime(lease()).toInstant()).isAfter(old.plusSeconds(20));
      lock.requireHeld();
    }
  }

  @ParameterizedTest(name = "through Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void aHolderWhoseLeaseWasTakenOverStopsWithoutSavingAndLeavesTheOtherOne(boolean hadoop)
      throws Exception {
    CheckpointLock lock = CheckpointLock.acquire(dir.toString(), "variance", hadoop);
    writeLease("elsewhere.example", "4242", "2026-01-01T00:00:00Z"); // as a takeover writes it

    assertThatThrownBy(lock::requireHeld)
        .hasMessage(
            "this job no longer holds the lock of checkpoint directory "
                + dir
                + " (the 'variance' job of process 4242 on elsewhere.example took it over): it"
                + " stops without saving, so that two jobs never write one checkpoint");
    lock.release();
    assertThat(Files.readString(lease())).contains("host=elsewhere.example");
  }

  @ParameterizedTest(name = "through Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void aLockFileThatNamesNoJobIsSaidAsSuchAndTakenOverThirtySecondsAfterItsLastChange(
      boolean hadoop) throws Exception {
    Files.writeString(lease(), "garbage\n");
    assertThatThrownBy(() -> CheckpointLock.acquire(dir.toString(), "variance", hadoop))
        .isInstanceOf(CheckpointLockedException.class)
        .hasMessageStartingWith(
            "checkpoint directory "
                + dir
                + " has a lock file, streamlab-job.lock, that names no job (empty, or not written"
                + " by this project): a job taking the directory at this very moment, or one that"
                + " crashed while it did; it is taken over ")
        .hasMessageEndingWith(" s from now, 30 s after its last change");

    Files.setLastModifiedTime(lease(), FileTime.from(Instant.now().minusSeconds(31)));
    try (CheckpointLock lock = CheckpointLock.acquire(dir.toString(), "variance", hadoop)) {
      lock.requireHeld();
    }
  }

  private Path lease() {
    return dir.resolve(CheckpointLock.FILE);
  }

  /** Writes the lease file as the process {@code pid} of {@code host} would. */
  private void writeLease(String host, String pid, String started) throws Exception {
    Files.writeString(
        lease(),
        "owner=someone-else\nhost="
            + host
            + "\npid="
            + pid
            + "\nstarted="
            + started
            + "\njob=variance\n");
  }

  private static String host() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }
}
