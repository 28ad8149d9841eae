package dev.streamlab.producer.cli;

import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import picocli.CommandLine.Option;

/** The options that choose how statistics are printed: {@code --format} and {@code --algorithm}. */
public final class OutputOptions {

  @Option(
      names = "--format",
      defaultValue = "tuple",
      paramLabel = "tuple|json",
      description =
          "tuple: the lab's ('sum_x_square:', …, 'var:', …); json: one object per result with"
              + " the rejected count. Default: ${DEFAULT-VALUE}.")
  private LabFormat format;

  @Option(
      names = "--algorithm",
      defaultValue = "stable",
      paramLabel = "stable|textbook",
      description =
          "stable: exact to about 1e-16; textbook: the course's Σx²/n − (Σx/n)², digit for digit"
              + " as its solution prints it (wrong on offset data). Default: ${DEFAULT-VALUE}.")
  private Algorithm algorithm;

  /** The chosen format. */
  public LabFormat format() {
    return format;
  }

  /** The chosen algorithm. */
  public Algorithm algorithm() {
    return algorithm;
  }

  /** {@code stats} and the count of rejected tokens in the chosen format and algorithm. */
  public String render(Stats stats, long rejected) {
    return format.render(stats, rejected, algorithm);
  }
}
