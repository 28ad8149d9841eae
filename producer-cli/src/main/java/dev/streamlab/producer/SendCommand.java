package dev.streamlab.producer;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.cli.KafkaConfigOptions;
import dev.streamlab.producer.cli.OutputOptions;
import dev.streamlab.producer.cli.RateConverter;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.variance.Tally;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code producer-cli send}: lines to a Kafka topic, one record per line, and on exit the exact
 * statistics of every line the broker acknowledged.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Sends lines to a Kafka topic, one record per line: from files or standard input ('-'),"
          + " seeded random lines (--generate), or, with neither, the lab's producer: the line"
          + " '1 2 3 4 5 6' every 2 s until stopped.",
      "A line of a file is sent as its bytes, not decoded: it ends at LF or CRLF, which is not"
          + " sent; a CR anywhere else is part of the line.",
      "On exit, Ctrl-C included, it prints the statistics of every number the broker"
          + " acknowledged, in the format of 'lab-cli stats', to check a job's answer against.",
    })
final class SendCommand implements Callable<Integer> {

  private static final Duration LAB_INTERVAL = Duration.ofSeconds(2);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final String EXACT =
      "every line is written once (acks=all, idempotence), so that the summary is exact";
  private static final Map<String, String> RESERVED_WHY =
      Map.of(
          "bootstrap.servers", "give --bootstrap-server",
          "max.block.ms", "give --timeout",
          "acks", EXACT,
          "enable.idempotence", EXACT,
          "transactional.id", EXACT,
          "key.serializer", "a record is a line's bytes",
          "value.serializer", "a record is a line's bytes");

  @Spec CommandSpec spec;

  @ParentCommand ProducerCli producer;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Files of lines to send, in order; '-' is standard input.")
  List<String> files = List.of();

  static final class Pace {
    @Option(
        names = "--interval",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Wait this long between lines (2s for the lab's line, none otherwise).")
    Duration interval;

    @Option(
        names = "--rate",
        paramLabel = "N/s",
        converter = RateConverter.class,
        description = "Send N lines per second.")
    Double rate;
  }

  @ArgGroup(exclusive = true)
  Pace pace = new Pace();

  static final class Amount {
    @Option(names = "--count", paramLabel = "N", description = "Stop after N lines.")
    Long count;

    @Option(names = "--loop", description = "Replay the files again and again until stopped.")
    boolean loop;
  }

  @ArgGroup(exclusive = true)
  Amount amount = new Amount();

  enum Distribution {
    UNIFORM,
    NORMAL
  }

  @Option(
      names = "--generate",
      paramLabel = "uniform|normal",
      description =
          "Send seeded random lines: OFFSET + SPREAD × U(0,1) or N(0,1), until --count or Ctrl-C.")
  Distribution generate;

  @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--offset", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
  double offset;

  @Option(names = "--spread", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  double spread;

  @Option(
      names = "--numbers-per-line",
      paramLabel = "K",
      defaultValue = "6",
      description = "Default: ${DEFAULT-VALUE}.")
  int numbersPerLine;

  @Mixin KafkaOptions kafka;

  @Mixin KafkaConfigOptions kafkaConfig;

  @Mixin OutputOptions output;

  private StopSignal stop;

  @Override
  public Integer call() throws Exception {
    validate();
    ClientSettings settings = kafkaConfig.settings(spec, LineSender.RESERVED, RESERVED_WHY);
    stop = StopSignal.trap();
    try (LineSource lines = lines()) {
      return send(lines, settings);
    }
  }

  private void validate() {
    if (generate != null && !files.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--generate and FILE cannot be combined");
    }
    if (amount.loop && files.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--loop replays files: give some");
    }
    if (amount.count != null && amount.count < 0) {
      throw new ParameterException(
          spec.commandLine(), "--count must be 0 or more, was " + amount.count);
    }
    if (numbersPerLine < 1) {
      throw new ParameterException(
          spec.commandLine(), "--numbers-per-line must be 1 or more, was " + numbersPerLine);
    }
  }

  private LineSource lines() throws Exception {
    if (generate != null) {
      return LineSource.generated(
          seed, generate == Distribution.NORMAL, offset, spread, numbersPerLine);
    }
    if (files.isEmpty()) {
      return LineSource.repeating(LineSender.LAB_LINE);
    }
    return LineSource.files(files, producer.stdin, amount.loop);
  }

  private Duration interval() {
    if (pace.interval != null) {
      return pace.interval;
    }
    if (pace.rate != null) {
      return Duration.ofNanos(Math.round(1e9 / pace.rate));
    }
    return generate == null && files.isEmpty() ? LAB_INTERVAL : Duration.ZERO;
  }

  private int send(LineSource lines, ClientSettings settings) throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Duration interval = interval();
    boolean echo = interval.compareTo(Duration.ofSeconds(1)) >= 0;
    long limit = amount.count != null ? amount.count : Long.MAX_VALUE;
    long start = System.nanoTime();
    long[] lastProgress = {start};
    LineSender sender =
        new LineSender(kafka.bootstrapServer(), kafka.topic(), kafka.timeout(), settings);
    try {
      sender.awaitBroker();
    } catch (IllegalStateException unreachable) {
      sender.close();
      throw unreachable;
    }
    try {
      sender.sendAllBytes(
          lines,
          interval,
          limit,
          stop::requested,
          (line, sent) -> {
            long now = System.nanoTime();
            if (echo) {
              err.println("sent: " + new String(line, StandardCharsets.UTF_8));
            } else if (now - lastProgress[0] >= PROGRESS_EVERY.toNanos()) {
              lastProgress[0] = now;
              err.printf("sent %d lines (%.0f/s)%n", sent, sent / ((now - start) / 1e9));
            }
            err.flush();
          });
    } finally {
      // Closing waits for the last acknowledgements; then the summary is exact.
      try {
        sender.close();
      } finally {
        long acknowledgedLines = sender.acknowledgedLines();
        err.printf(
            "%d %s acknowledged by %s, topic %s%n",
            acknowledgedLines,
            acknowledgedLines == 1 ? "line" : "lines",
            kafka.bootstrapServer(),
            kafka.topic());
        err.flush();
        Tally acknowledged = sender.acknowledged();
        spec.commandLine()
            .getOut()
            .println(output.render(acknowledged.stats(), acknowledged.rejected()));
        spec.commandLine().getOut().flush();
      }
    }
    return 0;
  }
}
