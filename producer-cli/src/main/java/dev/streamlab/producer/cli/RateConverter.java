package dev.streamlab.producer.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive rate in lines per second, written {@code 100} or {@code 100/s}. */
public final class RateConverter implements ITypeConverter<Double> {

  @Override
  public Double convert(String text) {
    String number = text.strip().endsWith("/s") ? text.strip().replaceFirst("/s$", "") : text;
    double rate;
    try {
      rate = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      rate = Double.NaN;
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new TypeConversionException(
          "'" + text + "' is not a positive rate; write lines per second, like 100/s");
    }
    return rate;
  }
}
