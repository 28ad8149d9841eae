package dev.streamlab.variance;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The statistics of the valid numbers in some lines of text, how many tokens {@link
 * NumberLineParser} rejected, and how many lines were empty: an immutable, mergeable value.
 *
 * <p>An empty line is one without a single character: a Kafka record with no value (a tombstone,
 * read as {@code null}) or a value of zero bytes. It adds nothing to the statistics and rejects
 * nothing; it is counted so that a user sees it arrived. A line of blanks only is not empty: it has
 * characters, and no tokens.
 *
 * @param stats the statistics of every valid number
 * @param rejected the tokens that were not finite numbers
 * @param emptyLines the lines that were {@code null} or had no characters
 * @serial exclude Java serialization (as Spark uses it) is no contract across versions.
 */
public record Tally(Stats stats, long rejected, long emptyLines) implements Serializable {

  /** No lines. */
  public static final Tally EMPTY = new Tally(Stats.empty(), 0, 0);

  /**
   * A tally without empty lines.
   *
   * @param stats the statistics of every valid number
   * @param rejected the tokens that were not finite numbers
   */
  public Tally(Stats stats, long rejected) {
    this(stats, rejected, 0);
  }

  /**
   * The tally of {@code lines}, parsed with {@link NumberLineParser}; a {@code null} line counts as
   * empty.
   *
   * @param lines lines of whitespace-separated numbers
   * @return their tally
   */
  public static Tally of(Iterator<String> lines) {
    StatsAccumulator numbers = new StatsAccumulator();
    long rejected = 0;
    long empty = 0;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line == null || line.isEmpty()) {
        empty++;
      } else {
        rejected += NumberLineParser.parse(line, numbers);
      }
    }
    return new Tally(numbers.toStats(), rejected, empty);
  }

  /**
   * This tally and {@code other} together.
   *
   * @param other the tally of more lines
   * @return the tally of both
   */
  public Tally plus(Tally other) {
    return new Tally(
        stats.plus(other.stats), rejected + other.rejected, emptyLines + other.emptyLines);
  }
}
