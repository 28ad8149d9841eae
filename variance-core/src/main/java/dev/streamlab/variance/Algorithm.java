package dev.streamlab.variance;

/** How the variance is computed from a {@link Stats}. */
public enum Algorithm {

  /** {@link Stats#variance()}: within a few units of 1e-16 relative of the exact variance. */
  STABLE {
    @Override
    public double variance(Stats stats) {
      return stats.variance();
    }
  },

  /**
   * The lab's formula Σx²/n − (Σx/n)² in plain doubles, digit for digit as the course's PySpark
   * solution prints it (2.916666666666666 for two lines of {@code 1 2 3 4 5 6}, where the exact
   * value 35/12 prints as 2.9166666666666665). Σx² and Σx are this library's correctly rounded
   * sums; on those the formula still loses every digit on offset data: for 1e9+4, 1e9+7, 1e9+13,
   * 1e9+16 it gives 0 instead of 22.5 (and −128 when the sums are also accumulated naively, as the
   * course's job does). For comparing with the course only.
   */
  TEXTBOOK {
    @Override
    public double variance(Stats stats) {
      double n = stats.count();
      double meanOfSquares = stats.sumOfSquares() / n;
      double mean = stats.sum() / n;
      return meanOfSquares - mean * mean;
    }
  };

  /**
   * The population variance of {@code stats} by this algorithm.
   *
   * @param stats the statistics of the values
   * @return their population variance; NaN when there are none
   */
  public abstract double variance(Stats stats);
}
