package dev.streamlab.variance;

/**
 * The lab's two ways of printing a {@link Stats}: the PySpark tuple and a JSON object.
 *
 * <p>Numbers are printed with Python's float repr ({@link PythonFloat}), so the tuple reads exactly
 * as the course's PySpark job prints it:
 *
 * <pre>
 * ('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:', 2.9166666666666665)
 * {"sum_x_square":182.0,"sum_x":42.0,"n":12,"var":2.9166666666666665,"rejected":0}
 * </pre>
 *
 * <p>In JSON, {@code n} is an integer, a NaN (the variance of no values) is {@code null}, and an
 * infinity (an overflow: squares of values beyond about 1e154) is the string {@code "Infinity"} or
 * {@code "-Infinity"}, which JSON parsers keep and {@code float()}, {@code Double.parseDouble} and
 * JavaScript's {@code Number} read as the number; the tuple prints {@code inf}, as Python does.
 */
public enum LabFormat {
  /** The PySpark tuple; rejected tokens are not part of it. */
  TUPLE {
    @Override
    public String render(Stats stats, long rejected, Algorithm algorithm) {
      return tuple(stats, algorithm);
    }
  },
  /** One JSON object. */
  JSON {
    @Override
    public String render(Stats stats, long rejected, Algorithm algorithm) {
      return json(stats, rejected, algorithm);
    }
  };

  /**
   * {@code stats} and the count of rejected tokens in this format: the way to render when the
   * format is chosen at run time ({@code --format}).
   *
   * @param stats the statistics
   * @param rejected the tokens that were not numbers (the tuple leaves them out)
   * @param algorithm how the variance is computed
   * @return one line of text
   */
  public abstract String render(Stats stats, long rejected, Algorithm algorithm);

  /**
   * The PySpark tuple {@code ('sum_x_square:', Σx², 'sum_x:', Σx, 'n:', n, 'var:', var)}.
   *
   * @param stats the statistics
   * @param algorithm how the variance is computed
   * @return the tuple, its numbers in Python's float repr
   */
  public static String tuple(Stats stats, Algorithm algorithm) {
    return "('sum_x_square:', "
        + PythonFloat.repr(stats.sumOfSquares())
        + ", 'sum_x:', "
        + PythonFloat.repr(stats.sum())
        + ", 'n:', "
        + PythonFloat.repr(stats.count())
        + ", 'var:', "
        + PythonFloat.repr(algorithm.variance(stats))
        + ")";
  }

  /**
   * The JSON object {@code {"sum_x_square":…,"sum_x":…,"n":…,"var":…,"rejected":…}}.
   *
   * @param stats the statistics
   * @param rejected the tokens that were not numbers
   * @param algorithm how the variance is computed
   * @return the object on one line, its numbers as {@link #jsonNumber} writes them
   */
  public static String json(Stats stats, long rejected, Algorithm algorithm) {
    return appendJsonFields(new StringBuilder("{"), stats, rejected, algorithm)
        .append('}')
        .toString();
  }

  /**
   * Appends the JSON members {@code "sum_x_square":…,"sum_x":…,"n":…,"var":…,"rejected":…}, without
   * braces, so that callers can add members of their own around them.
   */
  private static StringBuilder appendJsonFields(
      StringBuilder out, Stats stats, long rejected, Algorithm algorithm) {
    return out.append("\"sum_x_square\":")
        .append(jsonNumber(stats.sumOfSquares()))
        .append(",\"sum_x\":")
        .append(jsonNumber(stats.sum()))
        .append(",\"n\":")
        .append(stats.count())
        .append(",\"var\":")
        .append(jsonNumber(algorithm.variance(stats)))
        .append(",\"rejected\":")
        .append(rejected);
  }

  /**
   * A double as a JSON number in Python's repr; {@code null} for NaN, {@code "Infinity"} or {@code
   * "-Infinity"} for an infinity (JSON has no such numbers).
   *
   * @param value any double
   * @return its JSON text
   */
  public static String jsonNumber(double value) {
    if (Double.isNaN(value)) {
      return "null";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    return PythonFloat.repr(value);
  }
}
