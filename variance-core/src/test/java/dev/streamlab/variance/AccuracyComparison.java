package dev.streamlab.variance;

import java.math.BigDecimal;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.spark.util.StatCounter;

/**
 * Prints the relative error of the population variance computed by this library, Commons
 * Statistics' {@code Variance} and Spark's {@code StatCounter}, against the exact BigDecimal
 * oracle, on seeded data sets. Run with:
 *
 * <pre>
 * mvn -B -q -pl variance-core test-compile exec:java \
 *     -Dexec.mainClass=dev.streamlab.variance.AccuracyComparison -Dexec.classpathScope=test
 * </pre>
 */
public final class AccuracyComparison {

  private AccuracyComparison() {}

  public static void main(String[] args) {
    System.out.println("| data | this library | Commons Statistics Variance | Spark StatCounter |");
    System.out.println("|---|---|---|---|");
    row("100k values 1e8 + N(0, 1)", 100_000, random -> 1e8 + random.nextGaussian());
    row("10k values 1e12 + U(0, 1)", 10_000, random -> 1e12 + random.nextDouble());
    row("100k values 1e9 + U(0, 1e-3)", 100_000, random -> 1e9 + 1e-3 * random.nextDouble());
    row("100k values N(0, 1)", 100_000, Random::nextGaussian);
    row(
        "classic 1e9+4, 1e9+7, 1e9+13, 1e9+16",
        new double[] {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16});
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
        "| %s | %.1e | %.1e | %.1e |%n",
        name,
        error.applyAsDouble(Stats.of(values).variance()),
        error.applyAsDouble(commons.getAsDouble()),
        error.applyAsDouble(spark.variance()));
  }
}
