package dev.streamlab.jobs;

/**
 * Another job holds the checkpoint directory ({@link CheckpointLock}): a second one is refused
 * before it reads or writes anything there.
 */
public final class CheckpointLockedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  CheckpointLockedException(String dir, String holder) {
    super(
        "checkpoint directory "
            + dir
            + " is in use by "
            + holder
            + ": one job at a time; stop that one first, or give another --checkpoint directory"
            + " (the lock of a job that crashed on another host expires "
            + CheckpointLock.LEASE_SECONDS
            + " s after its last renewal)");
  }
}
