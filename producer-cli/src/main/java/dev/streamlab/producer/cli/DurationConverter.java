package dev.streamlab.producer.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration written as a number and a unit: {@code 500ms}, {@code 2s}, {@code
 * 1.5s}, {@code 10m}, {@code 1h}. Zero and negative durations are usage errors.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  /** The duration {@code text} names; see the class description for the forms. */
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
      throw new TypeConversionException(
          "'" + text + "' is not a duration; write a number and a unit, like 500ms, 2s, 10m or 1h");
    }
    long nanos = Math.round(amount * nanosPerUnit);
    if (nanos <= 0) {
      throw new TypeConversionException("'" + text + "' is not a positive duration");
    }
    return Duration.ofNanos(nanos);
  }

  /** As {@link DurationConverter}, and zero too ({@code 0s}): for a step that can be left out. */
  public static final class OrZero implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
      if (text.strip().matches("0+(\\.0*)?(ms|s|m|min|h)")) {
        return Duration.ZERO;
      }
      return parse(text);
    }
  }

  /** {@code duration} the way {@link #parse} reads it back: {@code 2s}, {@code 500ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
