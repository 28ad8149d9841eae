package dev.streamlab.lab.run;

import dev.streamlab.producer.cli.RateConverter;
import picocli.CommandLine.Option;

/**
 * How fast a Kafka job takes in records: {@code --max-rate-per-partition} and {@code
 * --backpressure}, Spark's two knobs for a backlog (a restart after a pause, a burst), as options.
 */
public final class IntakeOptions {

  public static final String MAX_RATE = "spark.streaming.kafka.maxRatePerPartition";
  public static final String BACKPRESSURE = "spark.streaming.backpressure.enabled";

  @Option(
      names = "--max-rate-per-partition",
      paramLabel = "N/s",
      converter = RateConverter.class,
      description =
          "Take at most N lines a second from each Kafka partition ("
              + MAX_RATE
              + "): after a backlog, a batch then holds at most N × partitions × batch seconds"
              + " lines, so it ends in time, and the backlog is worked off over several batches."
              + " Default: no limit (a batch takes everything there is).")
  private Double maxRatePerPartition;

  @Option(
      names = "--backpressure",
      description =
          "Let Spark adapt the intake to how fast batches are processed ("
              + BACKPRESSURE
              + "); it never takes more than --max-rate-per-partition, which also bounds the first"
              + " batch, before there is anything to adapt to.")
  private boolean backpressure;

  /** The --max-rate-per-partition given, in lines a second, or null. */
  public Double maxRatePerPartition() {
    return maxRatePerPartition;
  }

  /**
   * Passes the options to Spark as {@code spark.*} system properties, which every new {@code
   * SparkConf} reads; they override the same settings given with {@code --conf}.
   */
  public void applySparkSettings() {
    if (maxRatePerPartition != null) {
      System.setProperty(MAX_RATE, Long.toString(Math.max(1, Math.round(maxRatePerPartition))));
    }
    if (backpressure) {
      System.setProperty(BACKPRESSURE, "true");
    }
  }
}
