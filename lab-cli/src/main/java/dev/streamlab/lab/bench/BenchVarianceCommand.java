package dev.streamlab.lab.bench;

import dev.streamlab.lab.run.IntakeOptions;
import dev.streamlab.lab.run.JobOptions;
import dev.streamlab.producer.base.Durations;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.cli.RateConverter;
import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.producer.kafka.ClientSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab-cli bench variance}: the variance job end to end, against the limit of the machine and
 * against the lab's published plan, on the same preloaded topic of an embedded broker.
 */
@Command(
    name = "variance",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Preloads generated lines of numbers into a topic of an embedded Kafka broker, then measures,"
          + " one after the other in this JVM:",
      "  limit      plain KafkaConsumers, one per core (at most one per partition), that drain"
          + " the topic, parse and accumulate with variance-core and merge at the end, no Spark;",
      "  job        the 'run variance' pipeline on Spark, until it has counted everything;",
      "  kafka-streams  the peer a Kafka user would write instead: Kafka Streams' DSL on its"
          + " default settings, a tally per line, groupBy one key, aggregate;",
      "  published  the lab's published plan (window, three reduces, joins, textbook formula),"
          + " its window one batch long.",
      "The four run --repeat times, interleaved. For each it prints numbers/s while reading"
          + " and the ratio to the limit (the median of the rounds and their range, each ratio"
          + " taken within a round), the batches' processing times against the batch interval, and"
          + " peak heap; and n, Σx, Σx², which must agree in every round (exit 1 when they do not)."
          + " The numbers are integers below 1000, so that even the published plan's plain double"
          + " sums are exact."
    })
final class BenchVarianceCommand implements Callable<Integer> {

  /** The backlog of the capacity mode unless --lines says otherwise. */
  private static final long CAPACITY_LINES = 20_000_000;

  private static final String LOOPBACK = "127.0.0.1";

  @Spec CommandSpec spec;

  @Option(
      names = "--lines",
      defaultValue = "3000000",
      paramLabel = "N",
      description = "Lines to preload. Default: ${DEFAULT-VALUE}.")
  long lines;

  @Option(
      names = "--numbers-per-line",
      defaultValue = "6",
      paramLabel = "K",
      description = "Default: ${DEFAULT-VALUE}.")
  int numbersPerLine;

  @Option(
      names = "--warmup-lines",
      defaultValue = "100000",
      paramLabel = "N",
      description =
          "Before measuring, run every phase once on N other lines, unmeasured, so that no phase"
              + " pays for loading and compiling the code the others share. 0: none. Default:"
              + " ${DEFAULT-VALUE}.")
  long warmupLines;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      paramLabel = "P",
      description =
          "Partitions of the topic (Spark reads one task per partition). Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(
      names = "--rate",
      paramLabel = "N/s",
      split = ",",
      converter = RateConverter.class,
      description =
          "Sustained-rate mode: instead of preloading, send N lines a second for --duration"
              + " (default 30s) while the job runs, and report whether it keeps up (its"
              + " scheduling delay stays below the batch interval). Several rates, comma"
              + " separated, run one after the other, each on a new topic and job, and end with"
              + " the highest that was sustainable.")
  List<Double> rates = List.of();

  @Option(
      names = "--phases",
      split = ",",
      paramLabel = "PHASE",
      defaultValue = "limit,job,kafka-streams,published",
      description =
          "The phases to measure, comma separated, in that order; the limit and the job always"
              + " (every ratio is to them). Leaving the slow peers out lets --lines be large"
              + " enough for the limit and the job to last seconds. job-page is the job with the"
              + " live page of run --ui attached and read, so that job / job-page is what the"
              + " page costs; job-ops is the job with /metrics scraped every second and"
              + " --output-topic, so that job / job-ops is what operating it costs. Default:"
              + " ${DEFAULT-VALUE}.")
  List<String> phaseNames;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description =
          "Also write the phases as an SVG chart to FILE: a bar per phase, numbers/s on a log"
              + " scale, the median of the rounds with a whisker from the slowest to the fastest.")
  Path plot;

  @Option(
      names = "--capacity",
      description =
          "Capacity mode: the highest rate the job sustains, free of a producer's ceiling. Preloads"
              + " --lines (here 20,000,000 unless given), then drains that backlog under caps of"
              + " --max-rate-per-partition, a new job per cap, raising the cap until the batches no"
              + " longer keep up with the interval, then narrowing to a tenth; --repeat searches.")
  boolean capacity;

  @Option(
      names = "--rate-warmup",
      defaultValue = "5s",
      paramLabel = "DURATION",
      converter = DurationConverter.OrZero.class,
      description =
          "Sustained-rate mode: send at the rate this long first, unmeasured, so that the figures"
              + " are of a running stream and not of its first batches, which are slow while the"
              + " JIT compiles (0s: none). Default: ${DEFAULT-VALUE}.")
  Duration rateWarmup;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Rounds of the four phases, interleaved (limit, job, kafka-streams, published, limit, …); every figure"
              + " is the median of the rounds with their range, every ratio is taken within a"
              + " round. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "text: a table; json: one object. Default: ${DEFAULT-VALUE}.")
  BenchReport.Format format;

  @Option(
      names = "--security",
      defaultValue = "plaintext",
      paramLabel = "plaintext|sasl_ssl|ssl",
      description =
          "How the embedded broker's clients (the producer that preloads, and every phase)"
              + " authenticate, as 'producer-cli broker --security' sets it up: sasl_ssl is"
              + " SCRAM-SHA-512 over TLS, ssl is mutual TLS; so that a phase's figures include"
              + " what TLS costs it. Default: ${DEFAULT-VALUE}.")
  BrokerSecurity.Mode security;

  @Mixin JobOptions job;

  @Mixin IntakeOptions intake;

  /** The embedded broker, once started, and the settings its clients need. */
  private String bootstrap;

  private ClientSettings client;

  @Override
  public Integer call() throws Exception {
    if (lines <= 0 || numbersPerLine <= 0 || partitions <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--lines, --numbers-per-line and --partitions must be positive");
    }
    if (warmupLines < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup-lines must be 0 or more");
    }
    if (repeat <= 0) {
      throw new ParameterException(spec.commandLine(), "--repeat must be 1 or more");
    }
    if (plot != null && (capacity || !rates.isEmpty())) {
      throw new ParameterException(
          spec.commandLine(),
          "--plot draws the phases of the preload mode: not with --rate or --capacity");
    }
    if (capacity && !rates.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--capacity and --rate are two modes");
    }
    if (capacity && intake.maxRatePerPartition() != null) {
      throw new ParameterException(
          spec.commandLine(), "--capacity sets --max-rate-per-partition itself, cap by cap");
    }
    List<Phase> phases = phases();
    job.applySparkSettings(spec);
    intake.applySparkSettings();
    PrintWriter err = spec.commandLine().getErr();
    BenchReport report =
        new BenchReport(spec.commandLine().getOut(), format, job.batch(), numbersPerLine, security);
    Path scratch = Files.createTempDirectory("lab-cli-bench-");
    try (EmbeddedKafkaBroker broker = startBroker(scratch.resolve("kafka"), err)) {
      bootstrap = broker.bootstrapServers();
      if (!rates.isEmpty()) {
        return sustained(scratch, report, err);
      }
      if (capacity) {
        return capacity(scratch, report, err);
      }
      if (warmupLines > 0) {
        err.printf("Warming up (not measured): every phase on %,d lines%n", warmupLines);
        round(phases, preload("warmup", warmupLines, scratch.resolve("w"), err), err);
      }
      BenchTopic topic = preload("bench", lines, scratch.resolve("checkpoint"), err);
      List<List<PhaseResult>> rounds = new ArrayList<>();
      for (int round = 1; round <= repeat; round++) {
        err.printf("Round %d of %d%n", round, repeat);
        rounds.add(round(phases, topic, err));
      }
      report.phases(rounds, lines, warmupLines, partitions);
      if (plot != null) {
        Files.writeString(
            plot,
            BenchPlot.phases(
                rounds,
                String.format(
                    "bench variance: %,d lines of %d numbers, %d partitions, %s batches, %d cores",
                    lines,
                    numbersPerLine,
                    partitions,
                    Durations.format(job.batch()),
                    Runtime.getRuntime().availableProcessors())));
        err.println("Chart written to " + plot);
      }
      for (List<PhaseResult> round : rounds) {
        for (PhaseResult result : round) {
          if (!result.sums().equals(topic.sent())) {
            err.println(
                "lab-cli bench variance: "
                    + result.name()
                    + " disagrees: n, Σx, Σx² = "
                    + BenchReport.describe(result.sums())
                    + ", sent "
                    + BenchReport.describe(topic.sent()));
            return 1;
          }
        }
      }
      return 0;
    } finally {
      DataDirectories.deleteRecursively(scratch);
    }
  }

  /** The embedded broker, secured as --security says; {@link #client} its clients' settings. */
  private EmbeddedKafkaBroker startBroker(Path dir, PrintWriter err) throws Exception {
    if (security == BrokerSecurity.Mode.PLAINTEXT) {
      client = ClientSettings.none();
      return EmbeddedKafkaBroker.start(LOOPBACK, 0, dir);
    }
    err.println("Starting the embedded broker with " + security.protocol() + "…");
    err.flush();
    BrokerSecurity secured = BrokerSecurity.prepare(security, dir, LOOPBACK);
    client = ClientSettings.of(null, secured.clientSettings());
    return EmbeddedKafkaBroker.startSecured(LOOPBACK, 0, dir, secured);
  }

  /** The phases of --phases, in their fixed order. */
  private List<Phase> phases() {
    List<Phase> all =
        List.of(
            new LimitPhase(),
            new JobPhase(
                job.batch(), job.master(), JobPhase.Attached.NOTHING, spec.commandLine().getErr()),
            new JobPhase(
                job.batch(), job.master(), JobPhase.Attached.PAGE, spec.commandLine().getErr()),
            new JobPhase(
                job.batch(),
                job.master(),
                JobPhase.Attached.OPERATIONS,
                spec.commandLine().getErr()),
            new KafkaStreamsPhase(),
            new PublishedPhase(job.batch(), job.master()));
    List<String> names = all.stream().map(Phase::name).toList();
    for (String name : phaseNames) {
      if (!names.contains(name)) {
        throw new ParameterException(
            spec.commandLine(),
            "--phases: no phase '" + name + "' (there are " + String.join(", ", names) + ")");
      }
    }
    if (!phaseNames.contains("limit") || !phaseNames.contains("job")) {
      throw new ParameterException(
          spec.commandLine(), "--phases must include limit and job: every ratio is to them");
    }
    return all.stream().filter(phase -> phaseNames.contains(phase.name())).toList();
  }

  private BenchTopic preload(String topic, long lines, Path checkpoint, PrintWriter err)
      throws Exception {
    return BenchTopic.preload(
        bootstrap, client, topic, lines, numbersPerLine, partitions, checkpoint, err);
  }

  /** One round: every phase on {@code topic}, one after the other. */
  private List<PhaseResult> round(List<Phase> phases, BenchTopic topic, PrintWriter err)
      throws InterruptedException {
    List<PhaseResult> results = new ArrayList<>();
    for (Phase phase : phases) {
      err.println("Measuring: " + describe(phase));
      err.flush();
      results.add(phase.run(topic));
    }
    return results;
  }

  private String describe(Phase phase) {
    return switch (phase.name()) {
      case "job", "job-page", "job-ops" ->
          phase.name()
              + " (Spark "
              + job.master()
              + ", batch "
              + Durations.format(job.batch())
              + switch (phase.name()) {
                case "job-page" -> ", its live page read";
                case "job-ops" -> ", its /metrics scraped every second, its reports to a topic";
                default -> "";
              }
              + ")";
      case "published" -> "published plan";
      default -> phase.name();
    };
  }

  /**
   * --repeat capacity searches on one backlog; exit 1 if a job's count disagreed with its reads.
   */
  private int capacity(Path scratch, BenchReport report, PrintWriter err) throws Exception {
    long backlog =
        spec.commandLine().getParseResult().hasMatchedOption("--lines") ? lines : CAPACITY_LINES;
    BenchTopic topic = preload("capacity", backlog, scratch.resolve("checkpoint"), err);
    List<CapacitySearch.Outcome> rounds =
        new CapacitySearch(job.batch(), job.master(), numbersPerLine, partitions, err)
            .rounds(topic, repeat);
    report.capacity(rounds, backlog);
    if (rounds.stream().allMatch(CapacitySearch.Outcome::exact)) {
      return 0;
    }
    err.println(
        "lab-cli bench variance: a capped job's n disagreed with the records its batches read");
    return 1;
  }

  /** Each rate in turn, on a topic and checkpoint of its own; exit 1 if a job lost numbers. */
  private int sustained(Path scratch, BenchReport report, PrintWriter err) throws Exception {
    int exitCode = 0;
    Double highest = null;
    for (int run = 1; run <= rates.size(); run++) {
      double rate = rates.get(run - 1);
      String topic = "sustained-" + run;
      BenchTopic.create(bootstrap, client, topic, partitions);
      SustainedRateBench.Outcome outcome =
          SustainedRateBench.run(
              JobPhase.settings(
                  bootstrap,
                  client,
                  topic,
                  scratch.resolve("checkpoint-" + run).toString(),
                  job.batch(),
                  job.master()),
              rate,
              rateWarmup,
              job.durationOr(Duration.ofSeconds(30)),
              numbersPerLine,
              err);
      report.sustained(outcome);
      long expected = outcome.linesSent() * numbersPerLine;
      if (outcome.countedAfterWarmup() != expected) {
        err.printf(
            "lab-cli bench variance: at %,.0f lines/s the job counted %d numbers of the %d sent%n",
            rate, outcome.countedAfterWarmup(), expected);
        exitCode = 1;
      }
      if (outcome.sustainable() && (highest == null || rate > highest)) {
        highest = rate;
      }
    }
    if (rates.size() > 1) {
      report.highestSustained(highest);
    }
    return exitCode;
  }
}
