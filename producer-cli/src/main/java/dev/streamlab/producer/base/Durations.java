package dev.streamlab.producer.base;

import java.time.Duration;

/**
 * Durations as people write them on a command line and read them in a message: a number and a unit,
 * {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 10m} (or {@code 10min}), {@code 1h}.
 */
public final class Durations {

  private Durations() {}

  /**
   * The positive duration {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a number and a unit, or not positive; the
   *     message says which, in words for the user
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    int unitStart = trimmed.startsWith("-") ? 1 : 0; // read, to be refused as not positive
    while (unitStart < trimmed.length()
        && (Character.isDigit(trimmed.charAt(unitStart)) || trimmed.charAt(unitStart) == '.')) {
      unitStart++;
    }
    String unit = trimmed.substring(unitStart);
    long nanosPerUnit =
        switch (unit) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m", "min" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 0;
        };
    double amount;
    try {
      amount =
          unitStart == 0 || trimmed.equals("-")
              ? Double.NaN
              : Double.parseDouble(trimmed.substring(0, unitStart));
    } catch (NumberFormatException e) {
      amount = Double.NaN;
    }
    if (nanosPerUnit == 0 || Double.isNaN(amount)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a number and a unit, like 500ms, 2s, 10m or 1h");
    }
    long nanos = Math.round(amount * nanosPerUnit);
    if (nanos <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration");
    }
    return Duration.ofNanos(nanos);
  }

  /** Whether {@code text} names a zero duration: {@code 0s}, {@code 0ms}, {@code 0.0s}, … */
  public static boolean isZero(String text) {
    return text.strip().matches("0+(\\.0*)?(ms|s|m|min|h)");
  }

  /** {@code duration} the way {@link #parse} reads it back: {@code 2s}, {@code 500ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
