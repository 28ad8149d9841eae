package dev.streamlab.lab.bench;

import dev.streamlab.jobs.KafkaSource;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.variance.Stats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The sustained-rate mode of {@code lab-cli bench variance}: a producer sends at a fixed rate while
 * the variance job runs, and the batches show whether the job keeps up. It keeps up when no batch
 * waits for the one before it, that is when the scheduling delay stays below the batch interval;
 * otherwise the delay grows without bound as long as the rate lasts.
 */
final class SustainedRateBench {

  /** What a sustained run showed. */
  record Outcome(
      double requestedLinesPerSecond,
      long linesSent,
      double secondsSending,
      Stats counted,
      List<BatchLog.Batch> batches,
      Duration batch,
      Latency latency) {

    double sentLinesPerSecond() {
      return linesSent / secondsSending;
    }

    long maxProcessingMillis() {
      return batches.stream().mapToLong(BatchLog.Batch::processingMillis).max().orElse(0);
    }

    long meanProcessingMillis() {
      return Math.round(
          batches.stream().mapToLong(BatchLog.Batch::processingMillis).average().orElse(0));
    }

    long maxSchedulingDelayMillis() {
      return batches.stream().mapToLong(BatchLog.Batch::schedulingDelayMillis).max().orElse(0);
    }

    /**
     * The largest heap retained after collections at a batch end, over the first or second half.
     */
    long maxHeapMb(boolean secondHalf) {
      int half = batches.size() / 2;
      List<BatchLog.Batch> part =
          secondHalf ? batches.subList(half, batches.size()) : batches.subList(0, half);
      return part.stream().mapToLong(BatchLog.Batch::retainedHeapMb).max().orElse(0);
    }

    /**
     * Whether the job kept up: no batch waited a whole batch interval, and the producer did too.
     */
    boolean sustainable() {
      return maxSchedulingDelayMillis() < batch.toMillis()
          && sentLinesPerSecond() >= 0.95 * requestedLinesPerSecond;
    }
  }

  private SustainedRateBench() {}

  /**
   * Runs the job of {@code settings} while {@code linesPerSecond} lines of {@code numbersPerLine}
   * numbers go to its topic for {@code duration}; waits until the job has counted them all.
   */
  static Outcome run(
      WindowSettings settings,
      double linesPerSecond,
      Duration duration,
      int numbersPerLine,
      PrintWriter err)
      throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    List<Latency.Report> reports = new CopyOnWriteArrayList<>();
    long expected = Math.round(linesPerSecond * duration.toNanos() / 1e9);
    long[] sentAt = new long[Math.toIntExact(expected)];
    KafkaSource kafka = ((Source.Kafka) settings.job().source()).kafka();
    BatchLog log = new BatchLog();
    try (ReportSink<VarianceReport> sink =
            ReportSink.open(
                Phase.SINK,
                VarianceReport.class,
                report -> {
                  latest.set(report);
                  reports.add(
                      new Latency.Report(
                          System.currentTimeMillis(), report.cumulative().stats().count()));
                });
        LineSender sender =
            new LineSender(kafka.bootstrapServers(), kafka.topic(), Duration.ofSeconds(30));
        LineSource lines = BenchTopic.lines(numbersPerLine)) {
      JavaStreamingContext context = VarianceJob.getOrCreate(settings, sink).streaming();
      context.addStreamingListener(log);
      context.start();
      try {
        while (latest.get() == null) {
          TimeUnit.MILLISECONDS.sleep(20); // the job runs: its offsets are fixed
        }
        log.clear();
        reports.clear();
        err.printf(
            "Sending %,.0f lines/s for %s…%n", linesPerSecond, DurationConverter.format(duration));
        err.flush();
        long start = System.nanoTime();
        long sent =
            sender.sendAllBytes(
                lines,
                Duration.ofNanos(Math.round(1e9 / linesPerSecond)),
                expected,
                () -> false,
                (line, count) -> sentAt[(int) count - 1] = System.currentTimeMillis());
        double seconds = (System.nanoTime() - start) / 1e9; // sendAll flushed: all acknowledged
        long numbers = sender.acknowledged().stats().count();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (latest.get().cumulative().stats().count() < numbers
            && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
        return new Outcome(
            linesPerSecond,
            sent,
            seconds,
            latest.get().cumulative().stats(),
            log.batches(),
            settings.job().batch(),
            Latency.of(sentAt, sent, numbersPerLine, List.copyOf(reports)));
      } finally {
        context.stop(true, false);
      }
    }
  }
}
