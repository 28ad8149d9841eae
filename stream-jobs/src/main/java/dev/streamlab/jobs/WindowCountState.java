package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines and venues of the last batches, as many as a window covers, oldest first: the state of
 * the window-count job on Kafka, saved with the offsets it covers ({@link KafkaInput#fold}).
 *
 * @param batches the counts of the last batches, at most {@code windowBatches}
 * @param windowBatches how many batches a window covers
 */
public record WindowCountState(List<WindowCountReport.BatchCount> batches, int windowBatches)
    implements Serializable {

  public WindowCountState {
    if (windowBatches < 1) {
      throw new IllegalArgumentException("windowBatches must be 1 or more, was " + windowBatches);
    }
    batches = List.copyOf(batches);
  }

  /** The state before any batch. */
  public static WindowCountState start(int windowBatches) {
    return new WindowCountState(List.of(), windowBatches);
  }

  /** The state after one more batch; the oldest leaves the window when it is full. */
  public WindowCountState advance(WindowCountReport.BatchCount batch) {
    List<WindowCountReport.BatchCount> recent = new ArrayList<>(batches);
    recent.add(batch);
    if (recent.size() > windowBatches) {
      recent.remove(0);
    }
    return new WindowCountState(recent, windowBatches);
  }

  /** The window ending at {@code timeMillis}: its batches and their sums. */
  public WindowCountReport report(long timeMillis) {
    long lines = batches.stream().mapToLong(WindowCountReport.BatchCount::lines).sum();
    long venues = batches.stream().mapToLong(WindowCountReport.BatchCount::venues).sum();
    return new WindowCountReport(timeMillis, batches, lines, venues);
  }
}
