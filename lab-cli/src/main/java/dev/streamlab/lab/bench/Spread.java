package dev.streamlab.lab.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

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

  /** The spread over {@code rounds} of {@code figure} of the phase at index {@code phase}. */
  static Spread over(
      List<List<PhaseResult>> rounds, int phase, ToDoubleFunction<PhaseResult> figure) {
    return perRound(rounds, round -> figure.applyAsDouble(round.get(phase)));
  }

  /** The spread over {@code rounds} of the speed of phase {@code a} over that of {@code b}. */
  static Spread ratio(List<List<PhaseResult>> rounds, int a, int b) {
    return perRound(
        rounds, round -> round.get(a).numbersPerSecond() / round.get(b).numbersPerSecond());
  }

  /**
   * The spread over {@code rounds} of how many times sooner phase {@code a} reaches its exact total
   * than {@code b} does, each from its start, start-up included.
   */
  static Spread fromStartRatio(List<List<PhaseResult>> rounds, int a, int b) {
    return perRound(
        rounds, round -> round.get(b).fromStartSeconds() / round.get(a).fromStartSeconds());
  }

  private static Spread perRound(
      List<List<PhaseResult>> rounds, ToDoubleFunction<List<PhaseResult>> figure) {
    return of(rounds.stream().map(figure::applyAsDouble).toList());
  }
}
