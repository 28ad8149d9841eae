package dev.streamlab.lab.bench;

import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.producer.base.Durations;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.variance.Stats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The sustained-rate mode of {@code lab-cli bench variance}: a producer sends at a fixed rate while
 * the variance job runs, and the batches show whether the job keeps up. It keeps up when no batch
 * waits for the one before it, that is when the scheduling delay stays below the batch interval;
 * otherwise the delay grows without bound as long as the rate lasts.
 *
 * <p>A warm-up at the same rate comes first, unmeasured: the first batches that carry the rate's
 * volume are slow while the JIT compiles the path of a record (1.6 s for a batch of 100,000 lines
 * that takes 0.1 to 0.2 s later), a cost a stream pays once, at its start. Figures are of the lines
 * sent after it and the batches that started after it.
 */
final class SustainedRateBench {

  /**
   * What a sustained run showed.
   *
   * @param linesSent the lines sent after the warm-up
   * @param counted what the job counted, the warm-up's {@code warmupNumbers} included
   * @param batches the batches that started after the warm-up
   * @param heapBeforeMb the heap after a full collection before the first line was sent
   * @param heapAfterMb the same once the job had counted the last line
   */
  record Outcome(
      double requestedLinesPerSecond,
      long linesSent,
      double secondsSending,
      Stats counted,
      long warmupNumbers,
      List<BatchLog.Batch> batches,
      Duration batch,
      Latency latency,
      long heapBeforeMb,
      long heapAfterMb) {

    /** The numbers the job counted beyond the warm-up's: every one sent after it, if exact. */
    long countedAfterWarmup() {
      return counted.count() - warmupNumbers;
    }

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
      Duration warmup,
      Duration duration,
      int numbersPerLine,
      PrintWriter err)
      throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    List<Latency.Report> reports = new CopyOnWriteArrayList<>();
    long warmupLines = Math.round(linesPerSecond * warmup.toNanos() / 1e9);
    long expected = Math.round(linesPerSecond * duration.toNanos() / 1e9);
    long[] sentAt = new long[Math.toIntExact(warmupLines + expected)];
    AtomicLong measuredFrom = new AtomicLong(Long.MAX_VALUE); // when the first measured line went
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
            new LineSender(
                kafka.bootstrapServers(),
                kafka.topic(),
                Duration.ofSeconds(30),
                ClientSettings.of(null, kafka.consumerProperties()));
        LineSource lines = BenchTopic.lines(numbersPerLine)) {
      JavaStreamingContext context = VarianceJob.getOrCreate(settings, sink).streaming();
      context.addStreamingListener(log);
      context.start();
      try {
        while (latest.get() == null) {
          TimeUnit.MILLISECONDS.sleep(20); // the job runs: its offsets are fixed
        }
        long heapBefore = HeapGauge.afterFullCollectionMb();
        log.clear();
        reports.clear();
        err.printf(
            "Sending %,.0f lines/s for %s after a warm-up of %s…%n",
            linesPerSecond, Durations.format(duration), Durations.format(warmup));
        err.flush();
        long sent =
            sender.sendAllBytes(
                    lines,
                    Duration.ofNanos(Math.round(1e9 / linesPerSecond)),
                    warmupLines + expected,
                    () -> false,
                    (line, count) -> {
                      long now = System.currentTimeMillis();
                      sentAt[(int) count - 1] = now;
                      if (count == warmupLines + 1) {
                        measuredFrom.set(now);
                      }
                    })
                - warmupLines;
        // sendAll flushed: every line acknowledged
        double seconds = (System.currentTimeMillis() - measuredFrom.get()) / 1000.0;
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
            warmupLines * numbersPerLine,
            log.batches().stream()
                .filter(batch -> batch.processingStartMillis() >= measuredFrom.get())
                .toList(),
            settings.job().batch(),
            Latency.of(
                sentAt, warmupLines, warmupLines + sent, numbersPerLine, List.copyOf(reports)),
            heapBefore,
            HeapGauge.afterFullCollectionMb());
      } finally {
        context.stop(true, false);
      }
    }
  }
}
