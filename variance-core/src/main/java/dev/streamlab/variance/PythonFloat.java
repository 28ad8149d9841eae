package dev.streamlab.variance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float: the shortest decimal that reads back as the same double.
 *
 * <p>Rules, as in CPython's {@code float_repr} ({@code PyOS_double_to_string} with mode 'r'):
 *
 * <ul>
 *   <li>the digits are the shortest that round-trip; among candidates of that length, the one
 *       nearest to the exact binary value;
 *   <li>positional notation with at least one digit after the point ({@code 182.0}, {@code 0.0001})
 *       when the decimal exponent is from -4 up to 15; otherwise scientific notation with a signed
 *       exponent of at least two digits and no trailing ".0" ({@code 1e+16}, {@code 1.5e-05});
 *   <li>{@code nan}, {@code inf}, {@code -inf}, {@code 0.0}, {@code -0.0}.
 * </ul>
 *
 * <p>Java 17's {@code Double.toString} is not always shortest (JDK-4511638, fixed in Java 19), so
 * the digits are searched for directly on the exact value with {@link BigDecimal}: at each length
 * from 1 to 17, the rounding to nearest and, at the lopsided intervals of powers of two, the other
 * neighbour. It runs in a few microseconds, fine for printing results; it is not a hot-path
 * formatter.
 */
public final class PythonFloat {

  private PythonFloat() {}

  /**
   * Python's {@code repr(value)}.
   *
   * @param value any double
   * @return the shortest string that reads back as {@code value}, as Python writes it
   */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value > 0) ? "0.0" : "-0.0";
    }
    BigDecimal digits = shortestRoundTrip(Math.abs(value));
    String text = layout(digits);
    return value < 0 ? "-" + text : text;
  }

  private static BigDecimal shortestRoundTrip(double positive) {
    BigDecimal exact = new BigDecimal(positive);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == positive) {
        return nearest;
      }
      RoundingMode otherWay =
          nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
      BigDecimal other = exact.round(new MathContext(precision, otherWay));
      if (other.doubleValue() == positive) {
        return other;
      }
    }
    // Seventeen significant digits always round-trip.
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  private static String layout(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    String digits = stripped.unscaledValue().toString();
    // value = 0.digits × 10^pointPosition
    int pointPosition = digits.length() - stripped.scale();
    if (pointPosition > 16 || pointPosition < -3) {
      StringBuilder out = new StringBuilder(digits.length() + 6);
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int exponent = pointPosition - 1;
      out.append(exponent < 0 ? "e-" : "e+");
      int magnitude = Math.abs(exponent);
      if (magnitude < 10) {
        out.append('0');
      }
      return out.append(magnitude).toString();
    }
    if (pointPosition <= 0) {
      return "0." + "0".repeat(-pointPosition) + digits;
    }
    if (pointPosition >= digits.length()) {
      return digits + "0".repeat(pointPosition - digits.length()) + ".0";
    }
    return digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
  }
}
