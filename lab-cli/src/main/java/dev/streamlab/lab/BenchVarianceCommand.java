package dev.streamlab.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.KafkaSource;
import dev.streamlab.jobs.LineStreams;
import dev.streamlab.jobs.PublishedPlan;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.SparkSettings;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.producer.DataDirectories;
import dev.streamlab.producer.DurationConverter;
import dev.streamlab.producer.EmbeddedKafkaBroker;
import dev.streamlab.producer.LineSender;
import dev.streamlab.producer.RateConverter;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.StatsAccumulator;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
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
      "  limit      a plain KafkaConsumer that drains the topic, parses and accumulates with"
          + " variance-core, no Spark;",
      "  job        the 'run variance' pipeline on Spark, until it has counted everything;",
      "  published  the lab's published plan (window, three reduces, joins, textbook formula),"
          + " its window one batch long.",
      "For each it prints numbers/s and records/s while reading, the ratio to the limit, the"
          + " batches' processing times against the batch interval, and peak heap; and n, Σx, Σx²,"
          + " which must agree (exit 1 when they do not). The numbers are integers below 1000, so"
          + " that even the published plan's plain double sums are exact."
    })
final class BenchVarianceCommand implements Callable<Integer> {

  private static final String SINK = "lab-cli-bench";
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

  @Spec CommandSpec spec;

  @Option(
      names = "--lines",
      defaultValue = "1000000",
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
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "text: a table; json: one object. Default: ${DEFAULT-VALUE}.")
  Format format;

  enum Format {
    TEXT,
    JSON
  }

  @Mixin JobOptions job;

  @Mixin IntakeOptions intake;

  /** n, Σx and Σx², as each phase reports them. */
  record Totals(long count, double sum, double sumOfSquares) {
    static Totals of(Stats stats) {
      return new Totals(stats.count(), stats.sum(), stats.sumOfSquares());
    }
  }

  /** What one phase measured. */
  record Result(
      String name,
      Totals stats,
      long records,
      double seconds,
      long peakHeapMb,
      BatchTimes.Summary batches) {

    double numbersPerSecond() {
      return stats.count() / seconds;
    }

    double recordsPerSecond() {
      return records / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (lines <= 0 || numbersPerLine <= 0 || partitions <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--lines, --numbers-per-line and --partitions must be positive");
    }
    if (warmupLines < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup-lines must be 0 or more");
    }
    job.applySparkSettings(spec);
    intake.applySparkSettings();
    PrintWriter err = spec.commandLine().getErr();
    Path scratch = Files.createTempDirectory("lab-cli-bench-");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start("127.0.0.1", 0, scratch.resolve("kafka"))) {
      String topic = "bench";
      if (!rates.isEmpty()) {
        return sustained(broker.bootstrapServers(), scratch, err);
      }
      if (warmupLines > 0) {
        err.printf("Warming up (not measured): every phase on %,d lines%n", warmupLines);
        Totals warm = preload(broker.bootstrapServers(), "warmup", warmupLines, err);
        phases(broker.bootstrapServers(), "warmup", warmupLines, warm, scratch.resolve("w"), err);
      }
      Totals sent = preload(broker.bootstrapServers(), topic, lines, err);
      List<Result> results =
          phases(broker.bootstrapServers(), topic, lines, sent, scratch.resolve("checkpoint"), err);
      print(results);
      for (Result result : results) {
        if (!agrees(result.stats(), sent)) {
          err.println(
              "lab-cli bench variance: "
                  + result.name()
                  + " disagrees: n, Σx, Σx² = "
                  + describe(result.stats())
                  + ", sent "
                  + describe(sent));
          return 1;
        }
      }
      return 0;
    } finally {
      ReportSinks.unregister(SINK);
      DataDirectories.deleteRecursively(scratch);
    }
  }

  /** The three phases on a preloaded topic of {@code lines} lines, one after the other. */
  private List<Result> phases(
      String bootstrap, String topic, long lines, Totals sent, Path checkpoint, PrintWriter err)
      throws InterruptedException {
    err.println("Measuring: limit");
    err.flush();
    Result limit = limit(bootstrap, topic);
    err.println("Measuring: job (Spark " + job.master() + ", batch " + batchText() + ")");
    err.flush();
    Result job = job(bootstrap, topic, lines, checkpoint, sent);
    err.println("Measuring: published plan");
    err.flush();
    Result published = published(bootstrap, topic, lines, sent);
    return List.of(limit, job, published);
  }

  /** Each rate in turn, on a topic and checkpoint of its own; exit 1 if a job lost numbers. */
  private int sustained(String bootstrap, Path scratch, PrintWriter err) throws Exception {
    int exitCode = 0;
    Double highest = null;
    for (int run = 1; run <= rates.size(); run++) {
      double rate = rates.get(run - 1);
      String topic = "sustained-" + run;
      createTopic(bootstrap, topic);
      SustainedRateBench.Outcome outcome =
          SustainedRateBench.run(
              settings(bootstrap, topic, scratch.resolve("checkpoint-" + run)),
              rate,
              job.durationOr(Duration.ofSeconds(30)),
              numbersPerLine,
              err);
      print(outcome);
      long expected = outcome.linesSent() * numbersPerLine;
      if (outcome.counted().count() != expected) {
        err.printf(
            "lab-cli bench variance: at %,.0f lines/s the job counted %d numbers of the %d sent%n",
            rate, outcome.counted().count(), expected);
        exitCode = 1;
      }
      if (outcome.sustainable() && (highest == null || rate > highest)) {
        highest = rate;
      }
    }
    if (rates.size() > 1 && format == Format.TEXT) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          highest == null
              ? "None of the rates tried was sustainable"
              : String.format(
                  "Highest sustainable rate of those tried: %,.0f lines/s (%,.0f numbers/s)",
                  highest, highest * numbersPerLine));
      out.flush();
    }
    return exitCode;
  }

  /** One sustained run: a JSON object on one line, or a few lines of text. */
  private void print(SustainedRateBench.Outcome outcome) {
    PrintWriter out = spec.commandLine().getOut();
    double rate = outcome.requestedLinesPerSecond();
    if (format == Format.JSON) {
      ObjectNode json = LabJobCommand.JSON.createObjectNode();
      json.put("rate_lines_per_s", rate).put("numbers_per_line", numbersPerLine);
      json.put("batch_ms", job.batch().toMillis()).put("seconds", outcome.secondsSending());
      ObjectNode node = json.putObject("job");
      node.put("lines_sent", outcome.linesSent());
      node.put("sent_lines_per_s", Math.round(outcome.sentLinesPerSecond()));
      node.put("n", outcome.counted().count());
      node.put("batches", outcome.batches().size());
      node.put("max_processing_ms", outcome.maxProcessingMillis());
      node.put("mean_processing_ms", outcome.meanProcessingMillis());
      node.put("max_scheduling_delay_ms", outcome.maxSchedulingDelayMillis());
      node.put("heap_first_half_mb", outcome.maxHeapMb(false));
      node.put("heap_second_half_mb", outcome.maxHeapMb(true));
      json.put("sustainable", outcome.sustainable());
      out.println(LabJobCommand.write(json));
    } else {
      out.printf(
          "Sustained %,.0f lines/s (%,.0f numbers/s) for %.1f s on %s batches:%n",
          rate, rate * numbersPerLine, outcome.secondsSending(), batchText());
      out.printf(
          "  sent %,d lines (%,.0f/s); counted n = %,d of %,d%n",
          outcome.linesSent(),
          outcome.sentLinesPerSecond(),
          outcome.counted().count(),
          outcome.linesSent() * numbersPerLine);
      out.printf(
          "  %d batches: processing max %d ms, mean %d ms; scheduling delay max %d ms%n",
          outcome.batches().size(),
          outcome.maxProcessingMillis(),
          outcome.meanProcessingMillis(),
          outcome.maxSchedulingDelayMillis());
      out.printf(
          "  heap kept after collections: max %d MB in the first half, %d MB in the second%n",
          outcome.maxHeapMb(false), outcome.maxHeapMb(true));
      out.println(
          outcome.sustainable()
              ? "  sustainable: yes, the scheduling delay stayed below the batch interval"
              : "  sustainable: no, batches waited a whole interval or more (or the producer fell"
                  + " behind)");
    }
    out.flush();
  }

  private Totals preload(String bootstrap, String topic, long lines, PrintWriter err)
      throws Exception {
    createTopic(bootstrap, topic);
    err.printf(
        "Preloading %,d lines of %d numbers into an embedded broker (%d partitions)…%n",
        lines, numbersPerLine, partitions);
    err.flush();
    long start = System.nanoTime();
    Iterator<String> generated = SustainedRateBench.generated(numbersPerLine);
    Totals sent;
    try (LineSender sender = new LineSender(bootstrap, topic, Duration.ofSeconds(30))) {
      for (long i = 0; i < lines; i++) {
        sender.send(generated.next());
      }
      sender.flush(); // every line acknowledged: closing then reports any that failed
      sent = Totals.of(sender.acknowledged().stats());
    }
    err.printf("Preloaded in %.1f s%n", seconds(start));
    err.flush();
    return sent;
  }

  private void createTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** The limit: one plain consumer, the parser and the accumulator, nothing else. */
  private Result limit(String bootstrap, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            10_000);
    resetPeakHeap();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      StatsAccumulator numbers = new StatsAccumulator();
      long records = 0;
      long start = System.nanoTime();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          NumberLineParser.parse(record.value(), numbers);
          records++;
        }
      }
      return new Result(
          "limit", Totals.of(numbers.toStats()), records, seconds(start), peakHeapMb(), null);
    }
  }

  /** The variance job on the bench topic: a report every batch, from the earliest offsets. */
  private VarianceJob.Settings settings(String bootstrap, String topic, Path checkpoint) {
    Duration batch = job.batch();
    return new VarianceJob.Settings(
        KafkaSource.of(bootstrap, topic),
        batch,
        batch,
        batch,
        checkpoint.toString(),
        job.master(),
        SINK);
  }

  /** Our job: the pipeline of 'run variance', until its cumulative n is everything sent. */
  private Result job(String bootstrap, String topic, long lines, Path checkpoint, Totals sent)
      throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    ReportSinks.register(SINK, VarianceReport.class, latest::set);
    VarianceJob.Settings settings = settings(bootstrap, topic, checkpoint);
    resetPeakHeap();
    JavaStreamingContext context = VarianceJob.getOrCreate(settings);
    Supplier<Totals> counted =
        () -> Totals.of(latest.get() == null ? Stats.empty() : latest.get().cumulative().stats());
    try {
      return measure("job", context, counted, lines, sent);
    } finally {
      ReportSinks.unregister(SINK);
    }
  }

  /** The published plan, its window sums added up here, until they cover everything sent. */
  private Result published(String bootstrap, String topic, long lines, Totals sent)
      throws InterruptedException {
    StatsTotal total = new StatsTotal();
    ReportSinks.register(SINK, PublishedPlan.WindowSums.class, total::add);
    resetPeakHeap();
    JavaStreamingContext context =
        new JavaStreamingContext(
            SparkSettings.conf("published-plan", job.master()), job.sparkBatch());
    // A window of one batch: the lab's was 2 s on 1 s batches, but a batch that ends no window
    // runs no job and reports nothing, so its time could not be measured.
    Duration window = job.batch();
    ReportSinks.deliver(
        PublishedPlan.build(
            LineStreams.kafka(context, KafkaSource.of(bootstrap, topic)), window, window),
        SINK);
    try {
      return measure("published", context, total::stats, lines, sent);
    } finally {
      ReportSinks.unregister(SINK);
    }
  }

  private Result measure(
      String name, JavaStreamingContext context, Supplier<Totals> counted, long lines, Totals sent)
      throws InterruptedException {
    BatchTimes times = new BatchTimes();
    context.addStreamingListener(times);
    context.start();
    try {
      long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
      while (counted.get().count() < sent.count() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      if (counted.get().count() < sent.count()) {
        throw new IllegalStateException(
            name + " counted " + counted.get().count() + " of " + sent.count() + " in 10 min");
      }
      BatchTimes.Summary batches = times.awaitSummary();
      return new Result(
          name, counted.get(), lines, batches.readingMillis() / 1000.0, peakHeapMb(), batches);
    } finally {
      context.stop(true, false);
    }
  }

  private void print(List<Result> results) {
    PrintWriter out = spec.commandLine().getOut();
    Result limit = results.get(0);
    Result published = results.get(2);
    if (format == Format.JSON) {
      ObjectNode json = LabJobCommand.JSON.createObjectNode();
      json.put("lines", lines).put("numbers_per_line", numbersPerLine);
      json.put("warmup_lines", warmupLines);
      json.put("partitions", partitions).put("batch_ms", job.batch().toMillis());
      for (Result result : results) {
        ObjectNode node = json.putObject(result.name());
        node.put("numbers_per_s", Math.round(result.numbersPerSecond()));
        node.put("records_per_s", Math.round(result.recordsPerSecond()));
        node.put("seconds", result.seconds());
        node.put("ratio_to_limit", result.numbersPerSecond() / limit.numbersPerSecond());
        node.put("n", result.stats().count());
        node.put("sum_x", result.stats().sum());
        node.put("sum_x_square", result.stats().sumOfSquares());
        node.put("peak_heap_mb", result.peakHeapMb());
        if (result.batches() != null) {
          node.put("batches", result.batches().count());
          node.put("max_processing_ms", result.batches().maxProcessingMillis());
          node.put("mean_processing_ms", result.batches().meanProcessingMillis());
          node.put("max_scheduling_delay_ms", result.batches().maxSchedulingDelayMillis());
        }
      }
      json.withObject("/job")
          .put(
              "ratio_to_published",
              results.get(1).numbersPerSecond() / published.numbersPerSecond());
      out.println(LabJobCommand.write(json));
    } else {
      out.printf(
          "%-10s %13s %12s %9s %8s %8s %14s %10s%n",
          "",
          "numbers/s",
          "records/s",
          "vs limit",
          "seconds",
          "batches",
          "max batch ms",
          "peak heap");
      for (Result result : results) {
        BatchTimes.Summary b = result.batches();
        out.printf(
            "%-10s %,13.0f %,12.0f %8.1f%% %8.2f %8s %14s %7d MB%n",
            result.name(),
            result.numbersPerSecond(),
            result.recordsPerSecond(),
            100 * result.numbersPerSecond() / limit.numbersPerSecond(),
            result.seconds(),
            b == null ? "-" : Long.toString(b.count()),
            b == null ? "-" : b.maxProcessingMillis() + " / " + job.batch().toMillis(),
            result.peakHeapMb());
      }
      out.printf(
          "job / published: %.1f×%n",
          results.get(1).numbersPerSecond() / published.numbersPerSecond());
      for (Result result : results) {
        out.printf("%-10s n, Σx, Σx² = %s%n", result.name(), describe(result.stats()));
      }
    }
    out.flush();
  }

  private String batchText() {
    return DurationConverter.format(job.batch());
  }

  private static boolean agrees(Totals result, Totals sent) {
    return result.count() == sent.count()
        && result.sum() == sent.sum()
        && result.sumOfSquares() == sent.sumOfSquares();
  }

  private static String describe(Totals stats) {
    return stats.count() + ", " + stats.sum() + ", " + stats.sumOfSquares();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset, in MB. */
  private static long peakHeapMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }

  /** The published plan's window sums, added up as they come. */
  private static final class StatsTotal {
    private long n;
    private double sumX;
    private double sumXSquare;

    synchronized void add(PublishedPlan.WindowSums sums) {
      n += sums.n();
      sumX += sums.sumX();
      sumXSquare += sums.sumXSquare();
    }

    synchronized Totals stats() {
      return new Totals(n, sumX, sumXSquare);
    }
  }

  /** The processing of batches that had records: when reading started and ended, and how long. */
  static final class BatchTimes implements StreamingListener {

    record Summary(
        long count,
        long readingMillis,
        long maxProcessingMillis,
        long meanProcessingMillis,
        long maxSchedulingDelayMillis) {}

    private long count;
    private long firstStart = Long.MAX_VALUE;
    private long lastEnd;
    private long maxProcessing;
    private long totalProcessing;
    private long maxSchedulingDelay;
    private long completed;

    @Override
    public synchronized void onBatchCompleted(StreamingListenerBatchCompleted event) {
      BatchInfo batch = event.batchInfo();
      completed++;
      notifyAll();
      if (batch.numRecords() == 0) {
        return;
      }
      long start = (Long) batch.processingStartTime().get();
      long end = (Long) batch.processingEndTime().get();
      long processing = end - start;
      count++;
      firstStart = Math.min(firstStart, start);
      lastEnd = Math.max(lastEnd, end);
      maxProcessing = Math.max(maxProcessing, processing);
      totalProcessing += processing;
      maxSchedulingDelay = Math.max(maxSchedulingDelay, (Long) batch.schedulingDelay().get());
    }

    /** Waits for the batch in flight (whose report completed the count) to complete. */
    synchronized Summary awaitSummary() throws InterruptedException {
      long seen = completed;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (completed == seen && System.nanoTime() < deadline) {
        wait(100);
      }
      return new Summary(
          count,
          Math.max(1, lastEnd - firstStart),
          maxProcessing,
          count == 0 ? 0 : totalProcessing / count,
          maxSchedulingDelay);
    }
  }
}
