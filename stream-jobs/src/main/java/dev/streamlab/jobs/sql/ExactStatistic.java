package dev.streamlab.jobs.sql;

import dev.streamlab.variance.Stats;

/**
 * The statistics the exact aggregate functions give, each named for Spark SQL's own, with its
 * {@code exact_} name and its value for a group's {@link Stats}.
 *
 * <p>Nulls and NaN are as Spark's built-ins have them (Spark 3.5, {@code
 * spark.sql.legacy.statisticalAggregate=false}): null inputs are left out; a group of no values
 * gives null; the sample variance and standard deviation of one value are null; a NaN makes every
 * result NaN; an infinite value makes the mean infinite and the variance and standard deviation NaN
 * (∞ − ∞, as Spark's).
 */
public enum ExactStatistic {
  /** The population variance Σ(x − mean)² / n, as {@code var_pop}. */
  VAR_POP("exact_var_pop", "var_pop") {
    @Override
    Double of(Stats stats) {
      return stats.count() == 0 ? null : variance(stats, stats.variance());
    }
  },
  /** The sample variance Σ(x − mean)² / (n − 1), as {@code var_samp} and {@code variance}. */
  VAR_SAMP("exact_var_samp", "var_samp") {
    @Override
    Double of(Stats stats) {
      return stats.count() < 2 ? null : variance(stats, stats.sampleVariance());
    }
  },
  /** The population standard deviation, as {@code stddev_pop}. */
  STDDEV_POP("exact_stddev_pop", "stddev_pop") {
    @Override
    Double of(Stats stats) {
      return stats.count() == 0 ? null : Math.sqrt(variance(stats, stats.variance()));
    }
  },
  /** The sample standard deviation, as {@code stddev_samp} and {@code stddev}. */
  STDDEV_SAMP("exact_stddev_samp", "stddev_samp") {
    @Override
    Double of(Stats stats) {
      return stats.count() < 2 ? null : Math.sqrt(variance(stats, stats.sampleVariance()));
    }
  },
  /** The mean Σx / n, as {@code avg} of doubles. */
  AVG("exact_avg", "avg") {
    @Override
    Double of(Stats stats) {
      if (stats.count() == 0) {
        return null;
      }
      // Stats' mean of a set with an infinity is NaN (its shifted sum divides ∞ by n exactly);
      // Spark's avg, and Σx / n, are that infinity.
      double mean = stats.mean();
      return Double.isNaN(mean) && Double.isInfinite(stats.sum()) ? stats.sum() : mean;
    }
  };

  private final String functionName;
  private final String builtIn;

  ExactStatistic(String functionName, String builtIn) {
    this.functionName = functionName;
    this.builtIn = builtIn;
  }

  /**
   * The name of the SQL function.
   *
   * @return {@code exact_var_pop} and so on
   */
  public String functionName() {
    return functionName;
  }

  /**
   * The Spark SQL function this one matches, but for its rounding errors.
   *
   * @return {@code var_pop} and so on
   */
  public String builtIn() {
    return builtIn;
  }

  /** This statistic of {@code stats}, or null where Spark's built-in gives null. */
  abstract Double of(Stats stats);

  /** {@code variance}, or NaN when a value was infinite or NaN (the mean is then not finite). */
  private static double variance(Stats stats, double variance) {
    return Double.isFinite(stats.mean()) ? variance : Double.NaN;
  }
}
