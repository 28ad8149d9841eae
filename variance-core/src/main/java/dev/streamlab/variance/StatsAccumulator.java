package dev.streamlab.variance;

import java.util.function.DoubleConsumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collector;

/**
 * A mutable recorder of values for hot loops, producing a {@link Stats} with the same accuracy.
 *
 * <p>Each value costs about twenty floating-point operations and no division: the exact difference
 * from the shift (Knuth's TwoSum), an FMA TwoProduct for its square, and two Neumaier-compensated
 * additions whose exact rounding errors are gathered in separate low-order sums (see {@link Stats}
 * for the representation and its references).
 *
 * <p>Use it directly, with {@code DoubleStream.collect}, or as a {@link Collector}:
 *
 * <pre>{@code
 * StatsAccumulator acc = new StatsAccumulator();
 * for (double x : values) acc.accept(x);
 * Stats stats = acc.toStats();
 *
 * Stats fromStream = DoubleStream.of(values).parallel()
 *     .collect(StatsAccumulator::new, StatsAccumulator::accept, StatsAccumulator::combine)
 *     .toStats();
 * Stats fromObjects = readings.parallelStream().collect(StatsAccumulator.summarizing(Reading::value));
 * }</pre>
 *
 * <p>Not thread-safe: give each thread its own accumulator and {@link #combine} them.
 */
public final class StatsAccumulator implements DoubleConsumer {

  private long count;
  private double shift;
  private double sumHi;
  private double sumLo;
  private double squaresHi;
  private double squaresLo;

  /** An accumulator of no values. */
  public StatsAccumulator() {}

  /**
   * A collector of the statistics of {@code mapper}'s values; it works on parallel streams.
   *
   * @param <T> the type of the stream's elements
   * @param mapper the value of an element
   * @return the collector
   */
  public static <T> Collector<T, StatsAccumulator, Stats> summarizing(
      ToDoubleFunction<? super T> mapper) {
    return Collector.of(
        StatsAccumulator::new,
        (accumulator, element) -> accumulator.accept(mapper.applyAsDouble(element)),
        StatsAccumulator::combine,
        StatsAccumulator::toStats,
        Collector.Characteristics.UNORDERED);
  }

  /** Records one value. */
  @Override
  public void accept(double value) {
    if (count == 0) {
      shift = value;
    }
    count++;
    double k = shift;
    // d = x − K exactly, as d + dLo (Knuth's TwoSum).
    double d = value - k;
    double t = d - value;
    double dLo = (value - (d - t)) - (k + t);
    // Σ(x − K) and Σ(x − K)² are Neumaier-compensated sums: FastTwoSum's error term is exact when
    // the larger operand comes first, and the branches are well predicted once a sum outgrows
    // single terms. The low parts gather the exact rounding errors and dLo's contributions.
    double s = sumHi + d;
    sumLo += (Math.abs(sumHi) >= Math.abs(d) ? (sumHi - s) + d : (d - s) + sumHi) + dLo;
    sumHi = s;
    // d² = d·d + 2·d·dLo (+ dLo², below double-double precision); d·d exact by FMA.
    double square = d * d;
    double squareLo = Math.fma(2 * d, dLo, Math.fma(d, d, -square));
    double q = squaresHi + square;
    squaresLo +=
        (squaresHi >= square ? (squaresHi - q) + square : (square - q) + squaresHi) + squareLo;
    squaresHi = q;
  }

  /**
   * Records every value of {@code stats}.
   *
   * @param stats the statistics of more values
   */
  public void accept(Stats stats) {
    toStats().plus(stats).copyTo(this);
  }

  /**
   * Records every value of {@code other}, which is left unchanged.
   *
   * @param other another accumulator
   * @return this accumulator
   */
  public StatsAccumulator combine(StatsAccumulator other) {
    accept(other.toStats());
    return this;
  }

  /**
   * The number of values recorded.
   *
   * @return n
   */
  public long count() {
    return count;
  }

  /**
   * The statistics of the values recorded so far.
   *
   * @return their statistics, an immutable value
   */
  public Stats toStats() {
    if (count == 0) {
      return Stats.empty();
    }
    return new Stats(
        count,
        shift,
        DoubleDouble.compensated(sumHi, sumLo),
        DoubleDouble.compensated(squaresHi, squaresLo));
  }

  void load(long count, double shift, DoubleDouble shiftedSum, DoubleDouble shiftedSquares) {
    this.count = count;
    this.shift = shift;
    sumHi = shiftedSum.hi();
    sumLo = shiftedSum.lo();
    squaresHi = shiftedSquares.hi();
    squaresLo = shiftedSquares.lo();
  }
}
