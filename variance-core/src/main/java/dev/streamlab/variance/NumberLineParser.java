package dev.streamlab.variance;

import java.util.function.DoubleConsumer;

/**
 * Reads lines of numbers such as {@code "1 2 3 4 5 6"} into a {@link DoubleConsumer}, counting the
 * tokens it rejects.
 *
 * <p>Tokens are separated by ASCII whitespace (space, tab, line feed, carriage return, form feed,
 * vertical tab), any number of them. A token is accepted when it is a finite decimal number:
 *
 * <pre>
 *   [+-]? ( digits ( '.' digits? )? | '.' digits ) ( [eE] [+-]? digits )?      digits = [0-9]+
 * </pre>
 *
 * so {@code 7}, {@code -0}, {@code +3.25}, {@code .5}, {@code 5.}, {@code 6.02e23} and {@code 1E-7}
 * are numbers, while {@code NaN}, {@code Infinity}, {@code 0x1p3}, {@code 1_000}, {@code 1,5},
 * {@code 1e}, {@code 2d}, {@code 1e400} (not finite as a double) and any token with another
 * character are rejected. A value too small for a double reads as zero, as in Java and Python.
 *
 * <p>Conversion is correctly rounded. Tokens of up to 18 significant digits whose value is an exact
 * double times or divided by an exact power of ten (up to 10²²) take Clinger's fast path (W. D.
 * Clinger, "How to read floating point numbers accurately", PLDI 1990): one IEEE multiplication or
 * division, no allocation. Other tokens (long mantissas, large exponents) are handed to {@link
 * Double#parseDouble}. No regular expressions, no {@code String.split}.
 *
 * <p>Stateless and thread-safe.
 */
public final class NumberLineParser {

  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  private static final long MAX_EXACT_MANTISSA = 1L << 53;

  /** 18 digits always fit in a long (10^18 < 2^63); longer mantissas take the slow path. */
  private static final int MAX_MANTISSA_DIGITS = 18;

  /** Larger written exponents are clamped; the value is then zero or infinite anyway. */
  private static final int EXPONENT_CLAMP = 100_000;

  private NumberLineParser() {}

  /**
   * Sends every number of {@code line} to {@code sink}, in order.
   *
   * @param line whitespace-separated tokens
   * @param sink what receives each valid number
   * @return the number of rejected tokens
   */
  public static int parse(CharSequence line, DoubleConsumer sink) {
    int rejected = 0;
    int length = line.length();
    int i = 0;
    while (i < length) {
      char c = line.charAt(i);
      if (isSeparator(c)) {
        i++;
        continue;
      }
      // One pass over the token: sign, integer digits, fraction digits, exponent. Digits are
      // counted from positions, so the loops do nothing per digit but accumulate the mantissa.
      int start = i;
      boolean negative = c == '-';
      i += (negative || c == '+') ? 1 : 0; // a select, not a branch: signs come in random order
      int digitsStart = i;
      while (i < length && line.charAt(i) == '0') {
        i++; // leading zeros are not significant
      }
      long mantissa = 0;
      int significantStart = i;
      for (; i < length && (c = (char) (line.charAt(i) - '0')) <= 9; i++) {
        mantissa = mantissa * 10 + c;
      }
      int significantDigits = i - significantStart;
      boolean anyDigit = i > digitsStart;
      int exponent = 0;
      if (i < length && line.charAt(i) == '.') {
        int fractionStart = ++i;
        if (mantissa == 0) {
          while (i < length && line.charAt(i) == '0') {
            i++; // zeros right after the point of 0.00…: not significant either
          }
        }
        int fractionSignificantStart = i;
        for (; i < length && (c = (char) (line.charAt(i) - '0')) <= 9; i++) {
          mantissa = mantissa * 10 + c;
        }
        significantDigits += i - fractionSignificantStart;
        exponent = fractionStart - i;
        anyDigit |= i > fractionStart;
      }
      boolean valid = anyDigit;
      if (valid && i < length && ((c = line.charAt(i)) == 'e' || c == 'E')) {
        i++;
        boolean negativeExponent = false;
        if (i < length && ((c = line.charAt(i)) == '-' || c == '+')) {
          negativeExponent = c == '-';
          i++;
        }
        int written = 0;
        int exponentStart = i;
        for (; i < length && (c = (char) (line.charAt(i) - '0')) <= 9; i++) {
          written = Math.min(written * 10 + c, EXPONENT_CLAMP);
        }
        valid = i > exponentStart;
        exponent += negativeExponent ? -written : written;
      }
      if (!valid || (i < length && !isSeparator(line.charAt(i)))) {
        while (i < length && !isSeparator(line.charAt(i))) {
          i++;
        }
        rejected++;
        continue;
      }
      double value;
      if (significantDigits == 0) {
        value = negative ? -0.0 : 0.0;
      } else if (significantDigits <= MAX_MANTISSA_DIGITS
          && mantissa <= MAX_EXACT_MANTISSA
          && exponent > -POWERS_OF_TEN.length
          && exponent < POWERS_OF_TEN.length) {
        double m = negative ? -mantissa : mantissa;
        value = exponent >= 0 ? m * POWERS_OF_TEN[exponent] : m / POWERS_OF_TEN[-exponent];
      } else {
        // Long mantissas (which may have overflowed above) and large exponents. The grammar is
        // checked, so Double.parseDouble sees only what it reads the same way.
        value = Double.parseDouble(line.subSequence(start, i).toString());
      }
      if (Double.isInfinite(value)) {
        rejected++;
      } else {
        sink.accept(value);
      }
    }
    return rejected;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}
