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

  /** 18 digits always fit in a long (10^18 < 2^63). */
  private static final int MAX_MANTISSA_DIGITS = 18;

  /** Larger written exponents are clamped; the value is then zero or infinite anyway. */
  private static final int EXPONENT_CLAMP = 100_000;

  private NumberLineParser() {}

  /**
   * Sends every number of {@code line} to {@code sink}, in order.
   *
   * @return the number of rejected tokens
   */
  public static int parse(CharSequence line, DoubleConsumer sink) {
    int rejected = 0;
    int length = line.length();
    int i = 0;
    while (true) {
      while (i < length && isSeparator(line.charAt(i))) {
        i++;
      }
      if (i == length) {
        return rejected;
      }
      int start = i;
      while (i < length && !isSeparator(line.charAt(i))) {
        i++;
      }
      double value = parseToken(line, start, i);
      if (Double.isNaN(value)) {
        rejected++;
      } else {
        sink.accept(value);
      }
    }
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** The finite value of {@code line[start, end)}, or NaN when the token is rejected. */
  private static double parseToken(CharSequence line, int start, int end) {
    int i = start;
    char c = line.charAt(i);
    boolean negative = c == '-';
    if (negative || c == '+') {
      i++;
    }
    long mantissa = 0;
    int mantissaDigits = 0;
    int exponent = 0;
    boolean inexact = false;
    boolean anyDigit = false;
    boolean inFraction = false;
    for (; i < end; i++) {
      c = line.charAt(i);
      if (c == '.' && !inFraction) {
        inFraction = true;
        continue;
      }
      int digit = c - '0';
      if (digit < 0 || digit > 9) {
        break;
      }
      anyDigit = true;
      if (mantissa == 0 && digit == 0) {
        // A leading zero: not significant.
        if (inFraction) {
          exponent--;
        }
      } else if (mantissaDigits < MAX_MANTISSA_DIGITS) {
        mantissa = mantissa * 10 + digit;
        mantissaDigits++;
        if (inFraction) {
          exponent--;
        }
      } else {
        inexact |= digit != 0;
        if (!inFraction) {
          exponent++;
        }
      }
    }
    if (!anyDigit) {
      return Double.NaN;
    }
    if (i < end && (c == 'e' || c == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < end && (line.charAt(i) == '-' || line.charAt(i) == '+')) {
        negativeExponent = line.charAt(i) == '-';
        i++;
      }
      int written = 0;
      int exponentStart = i;
      for (; i < end; i++) {
        int digit = line.charAt(i) - '0';
        if (digit < 0 || digit > 9) {
          break;
        }
        written = Math.min(written * 10 + digit, EXPONENT_CLAMP);
      }
      if (i == exponentStart) {
        return Double.NaN;
      }
      exponent += negativeExponent ? -written : written;
    }
    if (i != end) {
      return Double.NaN;
    }
    if (mantissa == 0) {
      return negative ? -0.0 : 0.0;
    }
    double value;
    if (!inexact && mantissa <= MAX_EXACT_MANTISSA && Math.abs(exponent) < POWERS_OF_TEN.length) {
      double m = mantissa;
      value = exponent >= 0 ? m * POWERS_OF_TEN[exponent] : m / POWERS_OF_TEN[-exponent];
      value = negative ? -value : value;
    } else {
      // The grammar is checked above, so Double.parseDouble sees only what it reads the same way.
      value = Double.parseDouble(line.subSequence(start, end).toString());
    }
    return Double.isInfinite(value) ? Double.NaN : value;
  }
}
