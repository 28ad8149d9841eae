package dev.streamlab.lab.bench;

import java.util.List;

/**
 * The median and the range of repeated measurements: how the bench reports every figure.
 *
 * @param median the middle value (of an even count, the upper middle one)
 * @param min the smallest
 * @param max the largest
 */
record Spread(double median, double min, double max) {

  /** The spread of {@code values}, one or more. */
  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values must not be empty");
    }
    List<Double> sorted = values.stream().sorted().toList();
    return new Spread(sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
