package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One slide of the window-count job: the lines and venues that {@code countByWindow} counted in the
 * window ending at {@code timeMillis}, and the per-batch counts of the batches that window covers,
 * oldest first, so that a reader sees the window count is their sum.
 *
 * @param timeMillis the time the window ends (a batch time)
 * @param batches the counts of the batches in the window, oldest first; the last is the current one
 * @param lines the lines in the window, by {@code countByWindow}
 * @param venues the venues in the window, by {@code countByWindow}
 */
public record WindowCountReport(long timeMillis, List<BatchCount> batches, long lines, long venues)
    implements Serializable {

  /** The lines and venues of one batch. */
  public record BatchCount(long timeMillis, long lines, long venues) implements Serializable {}

  static final WindowCountReport EMPTY = new WindowCountReport(0, List.of(), 0, 0);

  public WindowCountReport {
    batches = List.copyOf(batches);
  }

  static WindowCountReport ofBatch(BatchCount batch) {
    return new WindowCountReport(0, List.of(batch), 0, 0);
  }

  static WindowCountReport ofLines(long lines) {
    return new WindowCountReport(0, List.of(), lines, 0);
  }

  static WindowCountReport ofVenues(long venues) {
    return new WindowCountReport(0, List.of(), 0, venues);
  }

  /** The parts of one report, merged: batches in time order, counts added. */
  WindowCountReport plus(WindowCountReport other) {
    List<BatchCount> merged = new ArrayList<>(batches);
    merged.addAll(other.batches);
    merged.sort(Comparator.comparingLong(BatchCount::timeMillis));
    return new WindowCountReport(
        Math.max(timeMillis, other.timeMillis), merged, lines + other.lines, venues + other.venues);
  }

  WindowCountReport at(long time) {
    return new WindowCountReport(time, batches, lines, venues);
  }

  /** The sum of the lines of the batches in the window. */
  public long batchLinesSum() {
    return batches.stream().mapToLong(BatchCount::lines).sum();
  }

  /** The sum of the venues of the batches in the window. */
  public long batchVenuesSum() {
    return batches.stream().mapToLong(BatchCount::venues).sum();
  }
}
