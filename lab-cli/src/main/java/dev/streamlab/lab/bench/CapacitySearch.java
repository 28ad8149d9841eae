package dev.streamlab.lab.bench;

import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.lab.run.IntakeOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The capacity mode of {@code lab-cli bench variance}: the highest rate the job sustains, free of
 * any producer's ceiling. A preloaded backlog is drained under a cap of {@code
 * spark.streaming.kafka.maxRatePerPartition}, a new job per cap: each batch then holds exactly the
 * cap's lines, as a live topic at that rate would give it. A cap is sustained when the measured
 * batches keep up: their median processing time is below the batch interval (a longer one means a
 * queue that grows for good), and no batch waited a whole interval for the ones before it (a single
 * slow batch, a collection or a busy neighbour, is then absorbed by the next). The search doubles
 * the cap from {@link #START} until a cap is not sustained (or the backlog could not fill the
 * batches), then halves the gap until it is within 10 %.
 */
final class CapacitySearch {

  /** The first cap tried, in lines a second. */
  static final double START = 200_000;

  /** Batches run before the measured ones: the first pays for the job's first compilations. */
  static final int WARM_BATCHES = 1;

  /** Batches whose processing times decide. */
  static final int MEASURED_BATCHES = 4;

  private static final int MAX_STEPS = 8;

  /** One cap tried: its measured batches, and whether the job counted exactly what they read. */
  record Step(double linesPerSecond, List<BatchLog.Batch> measured, Duration batch, boolean exact) {

    long maxProcessingMillis() {
      return measured.stream().mapToLong(BatchLog.Batch::processingMillis).max().orElse(0);
    }

    long medianProcessingMillis() {
      return Math.round(
          Spread.of(measured.stream().map(b -> (double) b.processingMillis()).toList()).median());
    }

    long maxSchedulingDelayMillis() {
      return measured.stream().mapToLong(BatchLog.Batch::schedulingDelayMillis).max().orElse(0);
    }

    long lastSchedulingDelayMillis() {
      return measured.get(measured.size() - 1).schedulingDelayMillis();
    }

    /** The batches kept up: see the class comment. */
    boolean sustainable() {
      return medianProcessingMillis() < batch.toMillis()
          && lastSchedulingDelayMillis() < batch.toMillis();
    }
  }

  /**
   * One search.
   *
   * @param highest the highest cap sustained, or null when none was
   * @param backlogBound whether the search stopped because the backlog could not fill the batches
   *     of a higher cap (then the capacity is at least {@code highest}, not at most)
   */
  record Outcome(List<Step> steps, Double highest, boolean backlogBound) {

    boolean exact() {
      return steps.stream().allMatch(Step::exact);
    }
  }

  private final Duration batch;
  private final String master;
  private final int numbersPerLine;
  private final int partitions;
  private final PrintWriter err;
  private int runs; // each job on a checkpoint of its own, from the topic's start

  CapacitySearch(
      Duration batch, String master, int numbersPerLine, int partitions, PrintWriter err) {
    this.batch = batch;
    this.master = master;
    this.numbersPerLine = numbersPerLine;
    this.partitions = partitions;
    this.err = err;
  }

  /** Searches the capacity on {@code topic}, a backlog that each step reads from its start. */
  private Outcome search(BenchTopic topic) throws InterruptedException {
    List<Step> steps = new ArrayList<>();
    Double good = null;
    Double bad = null;
    double rate = START;
    boolean backlogBound = false;
    for (int i = 0; i < MAX_STEPS; i++) {
      if (!fits(rate, topic.lines())) {
        double most = mostThatFits(topic.lines());
        if (good == null || bad != null || most <= good * 1.1) {
          backlogBound = true;
          break;
        }
        rate = most; // the highest cap whose batches the backlog still fills
      }
      Step step = step(topic, rate);
      steps.add(step);
      err.printf(
          "  %,.0f lines/s: batches %d ms (median), %d ms at most; the last waited %d ms: %s%n",
          rate,
          step.medianProcessingMillis(),
          step.maxProcessingMillis(),
          step.lastSchedulingDelayMillis(),
          step.sustainable() ? "sustained" : "not sustained");
      err.flush();
      if (step.sustainable()) {
        good = rate;
      } else {
        bad = rate;
      }
      if (bad == null) {
        double headroom = 0.9 * batch.toMillis() / Math.max(1, step.medianProcessingMillis());
        rate *= Math.max(1.25, Math.min(2, headroom));
      } else if (good == null) {
        rate /= 2;
      } else if (bad / good <= 1.1) {
        break;
      } else {
        rate = (good + bad) / 2;
      }
    }
    return new Outcome(steps, good, backlogBound && bad == null);
  }

  /** Whether the backlog holds every batch of a step at {@code rate}, with a margin of 10 %. */
  private boolean fits(double rate, long lines) {
    return rate <= mostThatFits(lines);
  }

  /** The highest cap, in lines a second, whose batches a backlog of {@code lines} fills. */
  private double mostThatFits(long lines) {
    double batches = (WARM_BATCHES + MEASURED_BATCHES + 1) * batch.toMillis() / 1000.0;
    return Math.floor(0.9 * lines / batches);
  }

  /**
   * {@code repeat} searches on {@code topic}, after one step at {@link #START}, not measured, in
   * which the code that the steps share gets compiled.
   */
  List<Outcome> rounds(BenchTopic topic, int repeat) throws InterruptedException {
    err.printf("Warming up (not measured): one capped job at %,.0f lines/s%n", START);
    step(topic, START);
    List<Outcome> rounds = new ArrayList<>();
    for (int round = 1; round <= repeat; round++) {
      err.printf("Round %d of %d: searching the capacity%n", round, repeat);
      rounds.add(search(topic));
    }
    return rounds;
  }

  /** A job capped at {@code rate}, run for its warm and measured batches, then stopped. */
  private Step step(BenchTopic topic, double rate) throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    BatchLog log = new BatchLog();
    System.setProperty(IntakeOptions.MAX_RATE, Long.toString((long) Math.ceil(rate / partitions)));
    try (ReportSink<VarianceReport> sink =
        ReportSink.open(Phase.SINK, VarianceReport.class, latest::set)) {
      JavaStreamingContext context =
          VarianceJob.getOrCreate(
                  JobPhase.settings(
                      topic.bootstrap(),
                      topic.client(),
                      topic.topic(),
                      topic.checkpoint().resolve("capacity-" + ++runs).toString(),
                      batch,
                      master),
                  sink)
              .streaming();
      context.addStreamingListener(log);
      context.start();
      try {
        log.awaitReading(WARM_BATCHES + MEASURED_BATCHES, Phase.TIMEOUT);
      } finally {
        context.stop(true, true); // the batches generated so far complete: all are in the log
      }
      List<BatchLog.Batch> reading = log.reading();
      long read = reading.stream().mapToLong(BatchLog.Batch::records).sum();
      long counted = latest.get() == null ? 0 : latest.get().cumulative().stats().count();
      return new Step(
          rate,
          reading.subList(WARM_BATCHES, WARM_BATCHES + MEASURED_BATCHES),
          batch,
          counted == read * numbersPerLine);
    } finally {
      System.clearProperty(IntakeOptions.MAX_RATE);
    }
  }
}
