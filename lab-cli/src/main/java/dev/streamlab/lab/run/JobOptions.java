package dev.streamlab.lab.run;

import dev.streamlab.producer.base.Durations;
import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a streaming job runs: {@code --batch}, {@code --master} and {@code --duration}. */
public final class JobOptions {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Option(
      names = "--batch",
      defaultValue = "1s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Batch interval. Default: ${DEFAULT-VALUE}.")
  private Duration batch;

  @Option(
      names = "--master",
      converter = MasterConverter.class,
      description =
          "Spark master; a socket source takes one core for its receiver. Default: the master"
              + " spark-submit was given, else local[2].")
  private String master;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop gracefully after this long. Default: run until Ctrl-C.")
  private Duration duration;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "A Spark setting, as spark-submit --conf takes it (repeatable), e.g."
              + " spark.streaming.backpressure.enabled=true or"
              + " spark.streaming.kafka.maxRatePerPartition=1000.")
  private Map<String, String> conf = Map.of();

  public Duration batch() {
    return batch;
  }

  public String master() {
    return master != null ? master : System.getProperty("spark.master", "local[2]");
  }

  /**
   * Passes the --conf settings to Spark the way spark-submit does in client mode: as {@code
   * spark.*} system properties, which every new {@code SparkConf} reads.
   *
   * @throws ParameterException if a key is not a Spark setting
   */
  public void applySparkSettings(CommandSpec spec) {
    conf.forEach(
        (key, value) -> {
          if (!key.startsWith("spark.")) {
            throw new ParameterException(
                spec.commandLine(), "--conf takes Spark settings (spark.*), was '" + key + "'");
          }
          if (key.equals("spark.streaming.concurrentJobs") && !value.strip().equals("1")) {
            // More batches at once end out of order: a job that saves batch after batch (all of
            // them on Kafka; Spark's checkpoint too) would skip or refuse them.
            throw new ParameterException(
                spec.commandLine(),
                "--conf spark.streaming.concurrentJobs="
                    + value
                    + ": the jobs save their state batch after batch, in order, so they run one"
                    + " batch at a time (1, Spark's default)");
          }
          System.setProperty(key, value);
        });
  }

  /** The --duration given, or {@code otherwise}. */
  public Duration durationOr(Duration otherwise) {
    return duration != null ? duration : otherwise;
  }

  /**
   * Waits until the context ends by itself (a failed job rethrows its error here), {@code stop} is
   * requested (Ctrl-C, SIGTERM) or {@code --duration} has passed; then, for a graceful stop, until
   * the batch that takes in everything received so far is processed and checkpointed ({@link
   * StopAfterBatch}). A stop request is acknowledged on {@code err} at once, with when it will end.
   * The caller then stops the context at once ({@code stop(true, false)}).
   *
   * <p>Not graceful while Kafka is away: the batch in flight would wait for it, so it is dropped
   * instead and read again by a restart.
   *
   * @param kafka the watch of the job's Kafka brokers, or null when it reads no Kafka
   * @param checkpointDir the job's Spark checkpoint directory, or null when it has none
   */
  void awaitEnd(
      JavaStreamingContext context,
      StopSignal stop,
      PrintWriter err,
      KafkaWatch kafka,
      String checkpointDir)
      throws InterruptedException {
    long deadline = duration != null ? System.nanoTime() + duration.toNanos() : Long.MAX_VALUE;
    while (!stop.requested() && System.nanoTime() - deadline < 0) {
      if (context.awaitTerminationOrTimeout(250)) {
        return; // ended by itself
      }
    }
    if (kafka != null && !kafka.reachable()) {
      if (stop.requested()) {
        err.println(
            "Stopping now: Kafka is unreachable, so the batch in flight is dropped (a restart reads"
                + " it again); the checkpoint holds every batch before it");
        err.flush();
      }
      return;
    }
    StopAfterBatch last = StopAfterBatch.askedNow(context, batch, checkpointDir);
    long dueInMillis = Math.max(0, last.batchTime() - System.currentTimeMillis());
    if (stop.requested()) {
      err.println(
          "Stopping after the batch of "
              + CLOCK.format(Instant.ofEpochMilli(last.batchTime()))
              + ", due in "
              + (dueInMillis + 999) / 1000
              + "s"
              + ", which holds everything received until now"
              + (checkpointDir != null ? " (its checkpoint written too)" : "")
              + "; Ctrl-C again quits at once");
      err.flush();
    }
    // A batch that cannot finish (a stalled source, a busy cluster) is not waited for forever.
    long giveUp =
        System.nanoTime() + (dueInMillis + Math.max(2 * batch.toMillis(), 10_000)) * 1_000_000;
    while (!last.done() && !context.awaitTerminationOrTimeout(50)) {
      if (System.nanoTime() - giveUp > 0) {
        err.println(
            "The batch of "
                + CLOCK.format(Instant.ofEpochMilli(last.batchTime()))
                + " has not finished in time: stopping without it");
        err.flush();
        return;
      }
    }
  }

  /**
   * Checks that {@code value} of {@code option} (a window or a slide) is a multiple of the batch.
   *
   * @throws ParameterException if it is not
   */
  void requireMultipleOfBatch(CommandSpec spec, String option, Duration value) {
    if (value.toMillis() % batch.toMillis() != 0) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " "
              + Durations.format(value)
              + " is not a multiple of --batch "
              + Durations.format(batch));
    }
  }

  /** Makes 10 s the default {@code --batch} of a command, as the lab's RSVP jobs had. */
  static final class TenSecondBatch implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      return argSpec instanceof OptionSpec option && option.longestName().equals("--batch")
          ? "10s"
          : null;
    }
  }
}
