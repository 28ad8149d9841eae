package dev.streamlab.jobs.checkpoint;

/**
 * Another job holds the checkpoint directory ({@link CheckpointLock}): a second one is refused
 * before it reads or writes anything there.
 */
public final class CheckpointLockedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private CheckpointLockedException(String message) {
    super(message);
  }

  /** The directory {@code dir} is held by {@code holder} ("the 'variance' job of process …"). */
  CheckpointLockedException(String dir, String holder) {
    this(
        "checkpoint directory "
            + dir
            + " is in use by "
            + holder
            + ": one job at a time; stop that one first, or give another --checkpoint directory"
            + " (the lock of a job that crashed on another host expires "
            + CheckpointLock.LEASE_SECONDS
            + " s after its last renewal)");
  }

  /**
   * The lock file of {@code dir} names no job: one being written this very moment, or left half
   * written by a crash; it is taken over {@code secondsLeft} s from now.
   */
  static CheckpointLockedException unreadable(String dir, long secondsLeft) {
    return new CheckpointLockedException(
        "checkpoint directory "
            + dir
            + " has a lock file, "
            + CheckpointLock.FILE
            + ", that names no job (empty, or not written by this project): a job taking the"
            + " directory at this very moment, or one that crashed while it did; it is taken over "
            + secondsLeft
            + " s from now, "
            + CheckpointLock.LEASE_SECONDS
            + " s after its last change");
  }
}
