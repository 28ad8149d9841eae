package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** One measured phase of {@code bench variance}: reads a whole {@link BenchTopic} and counts it. */
interface Phase {

  /** How long a phase may take to count everything. */
  Duration TIMEOUT = Duration.ofMinutes(10);

  /** The name of the sink a measured job reports to; one phase runs at a time. */
  String SINK = "lab-cli-bench";

  /** The phase's name in the output: {@code limit}, {@code job}, {@code published}. */
  String name();

  /** Reads all of {@code topic} and says how fast. */
  PhaseResult run(BenchTopic topic) throws InterruptedException;

  /**
   * Runs a Spark streaming phase: starts {@code context}, waits until {@code counted} covers
   * everything sent, then for the batch in flight, and stops; timed by its batches, and from {@code
   * started} (the phase's start, {@link System#nanoTime}) to the exact total.
   */
  static PhaseResult measure(
      String name,
      long started,
      JavaStreamingContext context,
      Supplier<ExactSums> counted,
      BenchTopic topic)
      throws InterruptedException {
    BatchLog log = new BatchLog();
    context.addStreamingListener(log);
    context.start();
    try {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (counted.get().n() < topic.sent().n() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      double fromStart = (System.nanoTime() - started) / 1e9;
      if (counted.get().n() < topic.sent().n()) {
        throw new IllegalStateException(
            name + " counted " + counted.get().n() + " of " + topic.sent().n() + " in 10 min");
      }
      log.awaitNext();
      BatchLog.Summary batches = BatchLog.Summary.of(log.batches());
      return new PhaseResult(
          name,
          counted.get(),
          topic.lines(),
          batches.readingMillis() / 1000.0,
          fromStart,
          HeapGauge.peakMb(),
          batches);
    } finally {
      context.stop(true, false);
    }
  }
}
