package dev.streamlab.variance;

/**
 * An unevaluated sum {@code hi + lo} of two doubles with {@code |lo| <= ulp(hi) / 2}: about 106
 * significant bits.
 *
 * <p>The error-free transformations are Knuth's TwoSum, Dekker's FastTwoSum and the FMA-based
 * TwoProduct; addition, multiplication and division follow Hida, Li and Bailey, "Library for
 * Double-Double and Quad-Double Arithmetic" (2007), section 3 (the accurate "IEEE" addition,
 * relative error below 4u², u = 2⁻⁵³). Only the merge and read-out paths of {@link Stats} use this
 * class; the per-value hot path in {@link StatsAccumulator} inlines the same transformations
 * without allocating.
 */
record DoubleDouble(double hi, double lo) {

  static final DoubleDouble ZERO = new DoubleDouble(0, 0);

  /**
   * An infinite {@code hi} has no low part: an overflow gives ±infinity, as plain double arithmetic
   * does, instead of the NaN that an error term computed as ∞ − ∞ would spread.
   */
  DoubleDouble {
    if (Double.isInfinite(hi)) {
      lo = 0;
    }
  }

  /**
   * The double-double of a compensated sum kept as a high part and its gathered rounding errors
   * ({@link StatsAccumulator}'s hot loop): once the high part has overflowed, its errors are
   * meaningless (∞ − ∞) and dropped.
   */
  static DoubleDouble compensated(double hi, double errors) {
    return Double.isInfinite(hi) ? of(hi) : sum(hi, errors);
  }

  static DoubleDouble of(double value) {
    return new DoubleDouble(value, 0);
  }

  /** The exact sum {@code a + b} (Knuth's TwoSum, no precondition on the magnitudes). */
  static DoubleDouble sum(double a, double b) {
    double s = a + b;
    double bb = s - a;
    return new DoubleDouble(s, (a - (s - bb)) + (b - bb));
  }

  /** The exact difference {@code a - b}. */
  static DoubleDouble difference(double a, double b) {
    return sum(a, -b);
  }

  /** The exact product {@code a * b} (TwoProduct with a fused multiply-add). */
  static DoubleDouble product(double a, double b) {
    double p = a * b;
    return new DoubleDouble(p, Math.fma(a, b, -p));
  }

  /** Renormalises {@code a + b} when {@code |a| >= |b|} or {@code a} is zero (FastTwoSum). */
  static DoubleDouble normalized(double a, double b) {
    double s = a + b;
    return new DoubleDouble(s, b - (s - a));
  }

  DoubleDouble plus(DoubleDouble other) {
    DoubleDouble s = sum(hi, other.hi);
    DoubleDouble t = sum(lo, other.lo);
    DoubleDouble u = normalized(s.hi, s.lo + t.hi);
    return normalized(u.hi, u.lo + t.lo);
  }

  DoubleDouble minus(DoubleDouble other) {
    return plus(other.negate());
  }

  DoubleDouble negate() {
    return new DoubleDouble(-hi, -lo);
  }

  DoubleDouble times(double factor) {
    DoubleDouble p = product(hi, factor);
    return normalized(p.hi, Math.fma(lo, factor, p.lo));
  }

  DoubleDouble times(DoubleDouble other) {
    DoubleDouble p = product(hi, other.hi);
    return normalized(p.hi, p.lo + (hi * other.lo + lo * other.hi));
  }

  DoubleDouble dividedBy(double divisor) {
    double q1 = hi / divisor;
    DoubleDouble r = minus(product(q1, divisor));
    double q2 = r.hi / divisor;
    r = r.minus(product(q2, divisor));
    double q3 = r.hi / divisor;
    DoubleDouble q = normalized(q1, q2);
    return q.plus(of(q3));
  }

  /** The double nearest to {@code hi + lo}. */
  double doubleValue() {
    return hi + lo;
  }

  int signum() {
    return hi != 0 ? (int) Math.signum(hi) : (int) Math.signum(lo);
  }
}
