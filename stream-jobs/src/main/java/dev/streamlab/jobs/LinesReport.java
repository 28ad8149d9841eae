package dev.streamlab.jobs;

import java.util.List;

/**
 * One batch of a job that turns lines into lines: its output lines, in order.
 *
 * @param timeMillis the batch time
 */
public record LinesReport(long timeMillis, List<String> lines) {

  public LinesReport {
    lines = List.copyOf(lines);
  }
}
