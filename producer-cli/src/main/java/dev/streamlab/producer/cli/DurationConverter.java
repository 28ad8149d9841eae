package dev.streamlab.producer.cli;

import dev.streamlab.producer.base.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration written as a number and a unit ({@link Durations#parse}): {@code
 * 500ms}, {@code 2s}, {@code 1.5s}, {@code 10m}, {@code 1h}. Zero and negative durations are usage
 * errors.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** As {@link DurationConverter}, and zero too ({@code 0s}): for a step that can be left out. */
  public static final class OrZero implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
      return Durations.isZero(text) ? Duration.ZERO : new DurationConverter().convert(text);
    }
  }
}
