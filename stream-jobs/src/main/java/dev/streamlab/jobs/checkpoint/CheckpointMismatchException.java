package dev.streamlab.jobs.checkpoint;

/**
 * The checkpoint directory holds another job's state, or one that counts another topic than the one
 * given: a usage error, named with the option that differs.
 */
public final class CheckpointMismatchException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String option;

  public CheckpointMismatchException(String option, String message) {
    super(message);
    this.option = option;
  }

  /** The command-line option that differs from what the checkpoint holds ({@code --topic}). */
  public String option() {
    return option;
  }
}
