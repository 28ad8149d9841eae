package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One report as a printer shows it, in both of its forms, for whoever watches beside standard
 * output (the live page of {@code run --ui}, the output topic).
 *
 * @param timeMillis the batch time of the report
 * @param text what {@code --format tuple} prints: the header and the lines under it
 * @param json what {@code --format json} prints, with what the page shows beside it (the variance
 *     job's last window, say) even when the options leave it out of the printed line
 * @param kind which report it is
 */
public record Printed(long timeMillis, String text, ObjectNode json, Kind kind) {

  /** Which report it is. */
  public enum Kind {
    /** A batch of this run, printed. */
    BATCH,
    /**
     * The last batch an earlier run saved, made again from its saved state when this run resumed
     * it, and not printed: for the watchers that must hold every saved batch's report (the output
     * topic), which that run may have stopped before writing.
     */
    RESUMED,
    /** The final summary of the run, a repeat of its last report. */
    FINAL
  }

  /** Whether it is the final summary of the run. */
  public boolean last() {
    return kind == Kind.FINAL;
  }
}
