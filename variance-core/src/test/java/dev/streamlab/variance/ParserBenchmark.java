package dev.streamlab.variance;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading 100k lab-like lines of six numbers: {@link NumberLineParser} against {@code
 * String.split(" ")} (its single-character fast path, no regex) with {@code Double.parseDouble}.
 * Lines are integers like the lab's {@code 1 2 3 4 5 6}, or decimals with up to three places. Run
 * with {@code mvn -B -Pbench -pl variance-core verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParserBenchmark {

  @Param({"integers", "decimals"})
  public String numbers;

  private String[] lines;

  /** Sums what it is given, so that neither parser's work can be optimised away. */
  private static final class Sum implements DoubleConsumer {
    double total;

    @Override
    public void accept(double value) {
      total += value;
    }
  }

  @Setup
  public void generate() {
    Random random = new Random(2026);
    lines = new String[100_000];
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      line.setLength(0);
      for (int k = 0; k < 6; k++) {
        if (k > 0) {
          line.append(' ');
        }
        if (numbers.equals("integers")) {
          line.append(random.nextInt(1000));
        } else {
          line.append(String.format("%.3f", random.nextDouble() * 2000 - 1000));
        }
      }
      lines[i] = line.toString();
    }
  }

  @Benchmark
  public double numberLineParser() {
    Sum sum = new Sum();
    for (String line : lines) {
      NumberLineParser.parse(line, sum);
    }
    return sum.total;
  }

  @Benchmark
  public double splitAndParseDouble() {
    Sum sum = new Sum();
    for (String line : lines) {
      for (String token : line.split(" ")) {
        sum.accept(Double.parseDouble(token));
      }
    }
    return sum.total;
  }
}
