package dev.streamlab.jobs;

import dev.streamlab.variance.Tally;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of {@link VarianceJob}: the tally of every batch so far, and the tallies of the batches
 * of the current window, newest last.
 *
 * <p>Each batch enters exactly once ({@link #advance}); the window's tally is the sum of its last
 * {@code windowBatches} batches, so window and slide may differ without counting anything twice.
 */
public record VarianceState(Tally total, List<Tally> recentBatches, int windowBatches)
    implements Serializable {

  /** The state before any batch. */
  public static VarianceState start(int windowBatches) {
    if (windowBatches < 1) {
      throw new IllegalArgumentException("windowBatches must be 1 or more, was " + windowBatches);
    }
    return new VarianceState(Tally.EMPTY, List.of(), windowBatches);
  }

  /** The state after one more batch. */
  public VarianceState advance(Tally batch) {
    List<Tally> recent = new ArrayList<>(recentBatches);
    recent.add(batch);
    if (recent.size() > windowBatches) {
      recent.remove(0);
    }
    return new VarianceState(total.plus(batch), List.copyOf(recent), windowBatches);
  }

  /** The tally of the last {@code windowBatches} batches. */
  public Tally window() {
    Tally window = Tally.EMPTY;
    for (Tally batch : recentBatches) {
      window = window.plus(batch);
    }
    return window;
  }
}
