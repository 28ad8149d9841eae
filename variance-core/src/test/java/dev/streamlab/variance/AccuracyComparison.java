package dev.streamlab.variance;

import java.math.BigDecimal;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.spark.util.StatCounter;

/**
 * Prints the relative error of the population variance computed by this library, Commons
 * Statistics' {@code Variance}, Spark's {@code StatCounter} and plain shifted sums (the fastest
 * one-pass method, {@link #shiftedPlainVariance}), against the exact BigDecimal oracle, on seeded
 * data sets. Run with:
 *
 * <pre>
 * mvn -B -q -pl variance-core test-compile exec:java \
 *     -Dexec.mainClass=dev.streamlab.variance.AccuracyComparison -Dexec.classpathScope=test
 * </pre>
 */
public final class AccuracyComparison {

  private AccuracyComparison() {}

  public static void main(String[] args) {
    System.out.println(
        "| data | this library | Commons Statistics Variance | Spark StatCounter | shifted plain"
            + " sums |");
    System.out.println("|---|---|---|---|---|");
    row("100k values 1e8 + N(0, 1)", 100_000, random -> 1e8 + random.nextGaussian());
    row("10k values 1e12 + U(0, 1)", 10_000, random -> 1e12 + random.nextDouble());
    row("100k values 1e9 + U(0, 1e-3)", 100_000, random -> 1e9 + 1e-3 * random.nextDouble());
    row("100k values N(0, 1)", 100_000, Random::nextGaussian);
    row(
        "classic 1e9+4, 1e9+7, 1e9+13, 1e9+16",
        new double[] {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16});
    double[] drifting = new double[100_000]; // a first value that is not typical of the rest
    Random random = new Random(2026);
    drifting[0] = 1e9;
    for (int i = 1; i < drifting.length; i++) {
      drifting[i] = 1e9 + 1e4 + random.nextDouble();
    }
    row("100k values 1e9 + 1e4 + U(0, 1), the first 1e9", drifting);
    long[] mantissas = ConversionBenchmark.decimalMantissas();
    int differ = 0;
    for (long m : mantissas) {
      differ += m / 1e3 == m * 1e-3 ? 0 : 1;
    }
    System.out.printf(
        "%nm * 1e-3 instead of the correctly rounded m / 1e3 (ConversionBenchmark): %,d of %,d"
            + " decimals of three places differ from Double.parseDouble%n",
        differ, mantissas.length);
  }

  /**
   * The population variance from Σ(x − K) and Σ(x − K)² in plain doubles, K the first value: the
   * plain loop's cost, with a shift against cancellation that holds only while K is near the mean.
   */
  static double shiftedPlainVariance(double[] values) {
    double shift = values[0];
    double sum = 0;
    double sumOfSquares = 0;
    for (double value : values) {
      double d = value - shift;
      sum += d;
      sumOfSquares += d * d;
    }
    double n = values.length;
    double mean = sum / n;
    return sumOfSquares / n - mean * mean;
  }

  private interface Generator {
    double next(Random random);
  }

  private static void row(String name, int n, Generator generator) {
    Random random = new Random(2026);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = generator.next(random);
    }
    row(name, values);
  }

  private static void row(String name, double[] values) {
    BigDecimal exact = ExactStats.of(values).variance();
    Variance commons = Variance.create().setBiased(true);
    StatCounter spark = new StatCounter();
    for (double value : values) {
      commons.accept(value);
      spark.merge(value);
    }
    DoubleUnaryOperator error = v -> ExactStats.relativeError(v, exact);
    System.out.printf(
        "| %s | %.1e | %.1e | %.1e | %.1e |%n",
        name,
        error.applyAsDouble(Stats.of(values).variance()),
        error.applyAsDouble(commons.getAsDouble()),
        error.applyAsDouble(spark.variance()),
        error.applyAsDouble(shiftedPlainVariance(values)));
  }
}
