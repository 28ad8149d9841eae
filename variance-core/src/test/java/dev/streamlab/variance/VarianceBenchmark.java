package dev.streamlab.variance;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.spark.util.StatCounter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One pass over 1M seeded doubles, either offset (1e6 + N(0, 1000)) or centred on zero (N(0, 1),
 * where most differences from the shift are inexact and take the accumulator's slower path): this
 * library's accumulator against Commons Statistics' {@code Variance}, Spark's {@code StatCounter}
 * and the plain loop that the textbook formula needs. Run with {@code mvn -B -Pbench -pl
 * variance-core verify} (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VarianceBenchmark {

  @Param({"offset", "centred"})
  public String data;

  private double[] values;

  @Setup
  public void generate() {
    Random random = new Random(2026);
    values = new double[1_000_000];
    boolean offset = data.equals("offset");
    for (int i = 0; i < values.length; i++) {
      values[i] = offset ? 1e6 + 1000 * random.nextGaussian() : random.nextGaussian();
    }
  }

  @Benchmark
  public double statsAccumulator() {
    StatsAccumulator accumulator = new StatsAccumulator();
    for (double value : values) {
      accumulator.accept(value);
    }
    return accumulator.toStats().variance();
  }

  @Benchmark
  public double commonsStatisticsVariance() {
    Variance variance = Variance.create().setBiased(true);
    for (double value : values) {
      variance.accept(value);
    }
    return variance.getAsDouble();
  }

  @Benchmark
  public double sparkStatCounter() {
    StatCounter counter = new StatCounter();
    for (double value : values) {
      counter.merge(value);
    }
    return counter.variance();
  }

  /**
   * The fastest shifted method: Σ(x − K) and Σ(x − K)² in plain doubles, K the first value. As fast
   * as the plain loop, and accurate while K stays near the mean; see AccuracyComparison for where
   * it is not.
   */
  @Benchmark
  public double shiftedPlainLoop() {
    return AccuracyComparison.shiftedPlainVariance(values);
  }

  /** The physical limit: Σx and Σx² in two independent accumulators, the textbook formula. */
  @Benchmark
  public double plainLoop() {
    double sum = 0;
    double sumOfSquares = 0;
    for (double value : values) {
      sum += value;
      sumOfSquares += value * value;
    }
    double n = values.length;
    return sumOfSquares / n - (sum / n) * (sum / n);
  }
}
