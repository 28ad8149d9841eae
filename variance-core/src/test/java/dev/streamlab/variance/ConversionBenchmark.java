package dev.streamlab.variance;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The last step of {@link NumberLineParser} on {@link ParserBenchmark}'s 600,000 decimals (three
 * places): from the digits read, a mantissa m, to the double m / 10³. Division is correctly rounded
 * (Clinger's fast path); multiplying by the double nearest 10⁻³ is cheaper but not, so it gives
 * another double for some tokens than {@code Double.parseDouble} does ({@link AccuracyComparison}
 * counts them). This measures what the division costs the parser.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConversionBenchmark {

  private long[] mantissas;

  @Setup
  public void generate() {
    mantissas = decimalMantissas();
  }

  /** The mantissas of ParserBenchmark's decimals: −1,000,000 to 1,000,000, for m / 1000. */
  static long[] decimalMantissas() {
    Random random = new Random(2026);
    long[] mantissas = new long[600_000];
    for (int i = 0; i < mantissas.length; i++) {
      mantissas[i] = Math.round((random.nextDouble() * 2000 - 1000) * 1000);
    }
    return mantissas;
  }

  @Benchmark
  public double divisionByPowerOfTen() {
    double sum = 0;
    for (long m : mantissas) {
      sum += m / 1e3;
    }
    return sum;
  }

  @Benchmark
  public double multiplicationByInverse() {
    double sum = 0;
    for (long m : mantissas) {
      sum += m * 1e-3;
    }
    return sum;
  }
}
