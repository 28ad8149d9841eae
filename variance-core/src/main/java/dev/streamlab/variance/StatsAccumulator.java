package dev.streamlab.variance;

import java.util.function.DoubleConsumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collector;

/**
 * A mutable recorder of values for hot loops, producing a {@link Stats} with the same accuracy.
 *
 * <p>Each {@link #accept(double)} does about twenty floating-point operations and no division: the
 * exact difference from the shift (Knuth's TwoSum), an FMA TwoProduct for its square, and two
 * compensated additions whose rounding errors are gathered in separate low-order sums (see {@link
 * Stats} for the representation and its references).
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
 * Stats fromObjects = measurements.parallelStream().collect(StatsAccumulator.summarizing(Reading::value));
 * }</pre>
 *
 * <p>Not thread-safe: give each thread its own accumulator and {@link #combine} them.
 */
public final class StatsAccumulator implements DoubleConsumer {

  private long count;
  private double shift;
  private double shiftedSumHi;
  private double shiftedSumLo;
  private double shiftedSquaresHi;
  private double shiftedSquaresLo;

  /** An accumulator of no values. */
  public StatsAccumulator() {}

  /** A collector of the statistics of {@code mapper}'s values; it works on parallel streams. */
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
    // d = value − K exactly, as dHi + dLo (Knuth's TwoSum).
    double dHi = value - k;
    double t = dHi - value;
    double dLo = (value - (dHi - t)) - (k + t);
    // Σd: TwoSum on the high parts; its rounding error and dLo are gathered in the low part.
    double sum = shiftedSumHi + dHi;
    double v = sum - shiftedSumHi;
    shiftedSumLo += ((shiftedSumHi - (sum - v)) + (dHi - v)) + dLo;
    shiftedSumHi = sum;
    // Σd²: d² = dHi² + 2·dHi·dLo (+ dLo², below double-double precision); dHi² exact by FMA.
    double square = dHi * dHi;
    double squareLo = Math.fma(dHi, dHi, -square) + 2 * dHi * dLo;
    double squares = shiftedSquaresHi + square;
    double w = squares - shiftedSquaresHi;
    shiftedSquaresLo += ((shiftedSquaresHi - (squares - w)) + (square - w)) + squareLo;
    shiftedSquaresHi = squares;
  }

  /** Records every value of {@code stats}. */
  public void accept(Stats stats) {
    set(toStats().plus(stats));
  }

  /** Records every value of {@code other}, which is left unchanged; returns this accumulator. */
  public StatsAccumulator combine(StatsAccumulator other) {
    set(toStats().plus(other.toStats()));
    return this;
  }

  /** The number of values recorded. */
  public long count() {
    return count;
  }

  /** The statistics of the values recorded so far. */
  public Stats toStats() {
    if (count == 0) {
      return Stats.empty();
    }
    return new Stats(
        count,
        shift,
        DoubleDouble.sum(shiftedSumHi, shiftedSumLo),
        DoubleDouble.sum(shiftedSquaresHi, shiftedSquaresLo));
  }

  private void set(Stats stats) {
    stats.copyTo(this);
  }

  void load(
      long count,
      double shift,
      double shiftedSumHi,
      double shiftedSumLo,
      double shiftedSquaresHi,
      double shiftedSquaresLo) {
    this.count = count;
    this.shift = shift;
    this.shiftedSumHi = shiftedSumHi;
    this.shiftedSumLo = shiftedSumLo;
    this.shiftedSquaresHi = shiftedSquaresHi;
    this.shiftedSquaresLo = shiftedSquaresLo;
  }
}
