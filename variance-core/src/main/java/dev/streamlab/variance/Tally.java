package dev.streamlab.variance;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The statistics of the valid numbers in some lines of text, and how many tokens were rejected by
 * {@link NumberLineParser}: an immutable, mergeable value.
 */
public record Tally(Stats stats, long rejected) implements Serializable {

  /** No lines. */
  public static final Tally EMPTY = new Tally(Stats.empty(), 0);

  /** The tally of {@code lines}, parsed with {@link NumberLineParser}. */
  public static Tally of(Iterator<String> lines) {
    StatsAccumulator numbers = new StatsAccumulator();
    long rejected = 0;
    while (lines.hasNext()) {
      rejected += NumberLineParser.parse(lines.next(), numbers);
    }
    return new Tally(numbers.toStats(), rejected);
  }

  /** This tally and {@code other} together. */
  public Tally plus(Tally other) {
    return new Tally(stats.plus(other.stats), rejected + other.rejected);
  }
}
