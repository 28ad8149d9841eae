package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.variance.Stats;

/**
 * What two variance results must share, bit for bit, to count as the same: n, Σx and Σx². The
 * variance follows from them; a result off by one record or one rounding differs here.
 *
 * @param n how many numbers
 * @param sumX their sum
 * @param sumXSquare the sum of their squares
 */
public record ExactSums(long n, double sumX, double sumXSquare) {

  /** The sums of {@code stats}. */
  public static ExactSums of(Stats stats) {
    return new ExactSums(stats.count(), stats.sum(), stats.sumOfSquares());
  }

  /**
   * The sums of a JSON report ({@code "n"}, {@code "sum_x"}, {@code "sum_x_square"}).
   *
   * @throws IllegalArgumentException when a member is missing
   */
  public static ExactSums of(JsonNode report) {
    for (String member : new String[] {"n", "sum_x", "sum_x_square"}) {
      if (!report.has(member)) {
        throw new IllegalArgumentException("not a variance report (no " + member + "): " + report);
      }
    }
    return new ExactSums(
        report.get("n").asLong(),
        report.get("sum_x").asDouble(),
        report.get("sum_x_square").asDouble());
  }
}
