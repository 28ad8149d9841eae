package dev.streamlab.variance;

import java.io.Serializable;
import java.util.Objects;

/**
 * The count, sum, sum of squares, mean and variance of a multiset of doubles: an immutable,
 * mergeable value.
 *
 * <p>Definitions, for values x<sub>1</sub>…x<sub>n</sub>:
 *
 * <ul>
 *   <li>{@link #sum()} = Σx and {@link #sumOfSquares()} = Σx², each within one ulp of the exact
 *       value (correctly rounded from a ~106-bit result);
 *   <li>{@link #variance()} = Σ(x − mean)² / n, the population variance, and {@link
 *       #sampleVariance()} = Σ(x − mean)² / (n − 1), each within a few units of 1e-16 relative of
 *       the exact value of the given doubles, whatever their offset and whatever the order of
 *       merges.
 * </ul>
 *
 * <p>Edge cases:
 *
 * <ul>
 *   <li>no values: count 0, sum and sum of squares 0, mean and both variances NaN;
 *   <li>one value: variance 0, sample variance NaN;
 *   <li>a NaN value makes every derived statistic NaN, and an infinite one makes them infinite or
 *       NaN, as in plain double arithmetic (the parsers of this library reject both);
 *   <li>overflow: a result whose exact value is beyond the range of a double is ±infinity, as in
 *       plain double arithmetic. Below 2<sup>511</sup> (about 6.7e153) in magnitude no square of a
 *       difference overflows. Beyond it, once Σ(x − K)² overflows, the sum of squares and both
 *       variances are +infinity, which can be early (the variance of 0 and 1.5e154 is 5.6e307,
 *       reported as infinity); values above about 9e307 of both signs can make the sum NaN.
 * </ul>
 *
 * <p>Algorithm: the state is n, a shift K (the first value seen) and the shifted sums Σ(x − K) and
 * Σ(x − K)², each held as a double-double (an unevaluated sum of two doubles, Hida, Li and Bailey
 * 2007), with each x − K taken exactly by Knuth's TwoSum and each square by an FMA TwoProduct.
 * Shifting removes the cancellation that makes the textbook formula Σx²/n − (Σx/n)² fail on offset
 * data; double-double sums remove the accumulated rounding error that Welford-type updates (Spark's
 * {@code StatCounter}, Commons Statistics' {@code Variance}) keep, on top of their division per
 * value. Two states with shifts K<sub>a</sub> and K<sub>b</sub> merge exactly enough by re-shifting
 * with c = K<sub>b</sub> − K<sub>a</sub> (Chan, Golub and LeVeque, "Algorithms for computing the
 * sample variance", 1983, eq. 1.5 in sum form): Σ(x − K<sub>a</sub>) = Σ(x − K<sub>b</sub>) +
 * n<sub>b</sub>c and Σ(x − K<sub>a</sub>)² = Σ(x − K<sub>b</sub>)² + 2cΣ(x − K<sub>b</sub>) +
 * n<sub>b</sub>c², in double-double. The merged value keeps the shift of the part with more values
 * (ties: the smaller shift), so {@code a.plus(b)} equals {@code b.plus(a)}.
 *
 * <p>Two values are {@linkplain #equals equal} when they report the same count, sum, sum of squares
 * and variance. Instances are immutable and thread-safe. For accumulating many values use {@link
 * StatsAccumulator}.
 *
 * @serial exclude Java serialization (as Spark uses it) is no contract across versions; {@link
 *     #toBytes} is.
 */
public final class Stats implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Stats EMPTY = new Stats(0, 0, DoubleDouble.ZERO, DoubleDouble.ZERO);

  private final long count;
  private final double shift;
  private final double shiftedSumHi;
  private final double shiftedSumLo;
  private final double shiftedSquaresHi;
  private final double shiftedSquaresLo;

  Stats(long count, double shift, DoubleDouble shiftedSum, DoubleDouble shiftedSquares) {
    this.count = count;
    this.shift = shift;
    this.shiftedSumHi = shiftedSum.hi();
    this.shiftedSumLo = shiftedSum.lo();
    this.shiftedSquaresHi = shiftedSquares.hi();
    this.shiftedSquaresLo = shiftedSquares.lo();
  }

  /**
   * The statistics of no values.
   *
   * @return the empty statistics, the identity of {@link #plus}
   */
  public static Stats empty() {
    return EMPTY;
  }

  /**
   * The statistics of the given values.
   *
   * @param values the values, in any order
   * @return their statistics
   */
  public static Stats of(double... values) {
    StatsAccumulator accumulator = new StatsAccumulator();
    for (double value : values) {
      accumulator.accept(value);
    }
    return accumulator.toStats();
  }

  /**
   * The statistics of this value's numbers together with {@code other}'s.
   *
   * @param other the statistics of more values
   * @return the statistics of both; equal to {@code other.plus(this)}
   * @throws ArithmeticException if the combined count overflows a {@code long}
   */
  public Stats plus(Stats other) {
    Objects.requireNonNull(other, "other");
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    Stats base = keepsShiftOver(other) ? this : other;
    Stats moved = base == this ? other : this;
    DoubleDouble c = DoubleDouble.difference(moved.shift, base.shift);
    double movedCount = moved.count;
    DoubleDouble movedSum = moved.shiftedSum();
    DoubleDouble reshiftedSum = movedSum.plus(c.times(movedCount));
    DoubleDouble reshiftedSquares =
        moved.shiftedSquares().plus(c.times(movedSum).times(2)).plus(c.times(c).times(movedCount));
    return new Stats(
        Math.addExact(count, other.count),
        base.shift,
        base.shiftedSum().plus(reshiftedSum),
        base.shiftedSquares().plus(reshiftedSquares));
  }

  private boolean keepsShiftOver(Stats other) {
    if (count != other.count) {
      return count > other.count;
    }
    return Double.compare(shift, other.shift) <= 0;
  }

  /**
   * The number of values.
   *
   * @return n
   */
  public long count() {
    return count;
  }

  /**
   * Σx, correctly rounded from a ~106-bit result.
   *
   * @return the sum of the values; 0 when there are none
   */
  public double sum() {
    return DoubleDouble.product(count, shift).plus(shiftedSum()).doubleValue();
  }

  /**
   * Σx², correctly rounded from a ~106-bit result.
   *
   * @return the sum of the squares of the values; 0 when there are none
   */
  public double sumOfSquares() {
    if (squaresOverflowed()) {
      return Double.POSITIVE_INFINITY;
    }
    // Σx² = nK² + 2KΣ(x − K) + Σ(x − K)²
    return DoubleDouble.product(shift, shift)
        .times((double) count)
        .plus(shiftedSum().times(shift).times(2))
        .plus(shiftedSquares())
        .doubleValue();
  }

  /** Whether Σ(x − K)² left the range of a double, the values being numbers (not NaN). */
  private boolean squaresOverflowed() {
    return shiftedSquaresHi == Double.POSITIVE_INFINITY
        && !Double.isNaN(shift)
        && !Double.isNaN(shiftedSumHi);
  }

  /**
   * The mean Σx / n.
   *
   * @return the mean of the values; NaN when there are none
   */
  public double mean() {
    if (count == 0) {
      return Double.NaN;
    }
    return DoubleDouble.of(shift).plus(shiftedSum().dividedBy(count)).doubleValue();
  }

  /**
   * The population variance Σ(x − mean)² / n.
   *
   * @return the population variance of the values; NaN when there are none, 0 for one value
   */
  public double variance() {
    if (count == 0) {
      return Double.NaN;
    }
    return sumOfSquaredDeviations(count);
  }

  /**
   * The sample variance Σ(x − mean)² / (n − 1).
   *
   * @return the sample variance of the values; NaN for fewer than two
   */
  public double sampleVariance() {
    if (count < 2) {
      return Double.NaN;
    }
    return sumOfSquaredDeviations(count - 1);
  }

  private double sumOfSquaredDeviations(long divisor) {
    if (squaresOverflowed()) {
      return Double.POSITIVE_INFINITY;
    }
    DoubleDouble shiftedSum = shiftedSum();
    // Σ(x − mean)² = Σ(x − K)² − (Σ(x − K))² / n: small cancellation, since K is one of the values.
    DoubleDouble squaredDeviations =
        shiftedSquares().minus(shiftedSum.times(shiftedSum).dividedBy(count));
    if (Double.isNaN(squaredDeviations.hi())) {
      return Double.NaN;
    }
    if (squaredDeviations.signum() <= 0) {
      return 0;
    }
    return squaredDeviations.dividedBy(divisor).doubleValue();
  }

  void copyTo(StatsAccumulator target) {
    target.load(count, shift, shiftedSum(), shiftedSquares());
  }

  private DoubleDouble shiftedSum() {
    return new DoubleDouble(shiftedSumHi, shiftedSumLo);
  }

  private DoubleDouble shiftedSquares() {
    return new DoubleDouble(shiftedSquaresHi, shiftedSquaresLo);
  }

  /**
   * This value in its portable binary form, for a state store that keeps values to merge later
   * (Kafka Streams, Flink, Redis, a file); {@link #fromBytes} gives it back bit for bit, in this
   * and any later version of this library. Version 1 is 56 bytes, big-endian: the magic {@code SV}
   * (2 bytes), the version 1 (1 byte), flags 0 (1 byte), n (8), then as IEEE 754 doubles (8 each)
   * the shift K and the high and low parts of Σ(x − K) and of Σ(x − K)², and the CRC-32C of all
   * that (4).
   *
   * @return a new array of 56 bytes
   */
  public byte[] toBytes() {
    return StatsEncoding.encode(
        count, shift, shiftedSumHi, shiftedSumLo, shiftedSquaresHi, shiftedSquaresLo);
  }

  /**
   * The value that {@link #toBytes} encoded.
   *
   * @param bytes an encoding made by {@link #toBytes}
   * @return the value, bit for bit as it was encoded
   * @throws IllegalArgumentException when the bytes are of another version, or corrupt (checksum,
   *     length or a field), saying which: never a wrong value
   */
  public static Stats fromBytes(byte[] bytes) {
    return StatsEncoding.decode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stats other
        && count == other.count
        && Double.compare(sum(), other.sum()) == 0
        && Double.compare(sumOfSquares(), other.sumOfSquares()) == 0
        && Double.compare(variance(), other.variance()) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, sum(), sumOfSquares(), variance());
  }

  @Override
  public String toString() {
    return "Stats{count="
        + count
        + ", sum="
        + sum()
        + ", sumOfSquares="
        + sumOfSquares()
        + ", mean="
        + mean()
        + ", variance="
        + variance()
        + "}";
  }
}
