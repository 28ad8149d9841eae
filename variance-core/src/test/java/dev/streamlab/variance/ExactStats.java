package dev.streamlab.variance;

import java.math.BigDecimal;
import java.math.MathContext;

/** The oracle: exact Σx, Σx² and variance of doubles, in BigDecimal. */
final class ExactStats {

  private static final MathContext PRECISION = new MathContext(60);

  final long count;
  final BigDecimal sum;
  final BigDecimal sumOfSquares;

  private ExactStats(long count, BigDecimal sum, BigDecimal sumOfSquares) {
    this.count = count;
    this.sum = sum;
    this.sumOfSquares = sumOfSquares;
  }

  static ExactStats of(double... values) {
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal sumOfSquares = BigDecimal.ZERO;
    for (double value : values) {
      BigDecimal x = new BigDecimal(value);
      sum = sum.add(x);
      sumOfSquares = sumOfSquares.add(x.multiply(x));
    }
    return new ExactStats(values.length, sum, sumOfSquares);
  }

  /** Σ(x − mean)² = (nΣx² − (Σx)²) / n, exactly up to the final division. */
  BigDecimal sumOfSquaredDeviations() {
    BigDecimal n = BigDecimal.valueOf(count);
    return sumOfSquares.multiply(n).subtract(sum.multiply(sum)).divide(n, PRECISION);
  }

  BigDecimal variance() {
    return sumOfSquaredDeviations().divide(BigDecimal.valueOf(count), PRECISION);
  }

  BigDecimal sampleVariance() {
    return sumOfSquaredDeviations().divide(BigDecimal.valueOf(count - 1), PRECISION);
  }

  /** |actual − exact| / |exact|, or |actual| when the exact value is zero. */
  static double relativeError(double actual, BigDecimal exact) {
    BigDecimal error = new BigDecimal(actual).subtract(exact).abs();
    if (exact.signum() == 0) {
      return error.doubleValue();
    }
    return error.divide(exact.abs(), MathContext.DECIMAL64).doubleValue();
  }

  /** |actual − exact| in units of the last place of the double nearest to the exact value. */
  static double ulpsFrom(double actual, BigDecimal exact) {
    double nearest = exact.doubleValue();
    if (nearest == 0) {
      return actual == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return new BigDecimal(actual)
        .subtract(exact)
        .abs()
        .divide(new BigDecimal(Math.ulp(nearest)), MathContext.DECIMAL64)
        .doubleValue();
  }
}
