package dev.streamlab.lab;

import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.producer.DurationConverter;
import dev.streamlab.producer.LineSender;
import dev.streamlab.variance.Stats;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * The sustained-rate mode of {@code lab-cli bench variance}: a producer sends at a fixed rate while
 * the variance job runs, and the batches show whether the job keeps up. It keeps up when no batch
 * waits for the one before it, that is when the scheduling delay stays below the batch interval;
 * otherwise the delay grows without bound as long as the rate lasts.
 */
final class SustainedRateBench {

  /** What one batch showed. */
  record Batch(long records, long processingMillis, long schedulingDelayMillis, long heapMb) {}

  /** What a sustained run showed. */
  record Outcome(
      double requestedLinesPerSecond,
      long linesSent,
      double secondsSending,
      Stats counted,
      List<Batch> batches,
      Duration batch) {

    double sentLinesPerSecond() {
      return linesSent / secondsSending;
    }

    long maxProcessingMillis() {
      return batches.stream().mapToLong(Batch::processingMillis).max().orElse(0);
    }

    long meanProcessingMillis() {
      return Math.round(batches.stream().mapToLong(Batch::processingMillis).average().orElse(0));
    }

    long maxSchedulingDelayMillis() {
      return batches.stream().mapToLong(Batch::schedulingDelayMillis).max().orElse(0);
    }

    /**
     * The largest heap retained after collections at a batch end, over the first or second half.
     */
    long maxHeapMb(boolean secondHalf) {
      int half = batches.size() / 2;
      List<Batch> part =
          secondHalf ? batches.subList(half, batches.size()) : batches.subList(0, half);
      return part.stream().mapToLong(Batch::heapMb).max().orElse(0);
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
      VarianceJob.Settings settings,
      double linesPerSecond,
      Duration duration,
      int numbersPerLine,
      PrintWriter err)
      throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    ReportSinks.register(settings.sinkName(), VarianceReport.class, latest::set);
    BatchLog log = new BatchLog();
    JavaStreamingContext context = VarianceJob.getOrCreate(settings);
    context.addStreamingListener(log);
    context.start();
    try (LineSender sender =
        new LineSender(
            settings.kafka().bootstrapServers(),
            settings.kafka().topic(),
            Duration.ofSeconds(30))) {
      while (latest.get() == null) {
        TimeUnit.MILLISECONDS.sleep(20); // the job runs: its offsets are fixed
      }
      log.clear();
      err.printf(
          "Sending %,.0f lines/s for %s…%n", linesPerSecond, DurationConverter.format(duration));
      err.flush();
      long start = System.nanoTime();
      long lines =
          sender.sendAll(
              generated(numbersPerLine),
              Duration.ofNanos(Math.round(1e9 / linesPerSecond)),
              Math.round(linesPerSecond * duration.toNanos() / 1e9),
              () -> false,
              (line, sent) -> {});
      double seconds = (System.nanoTime() - start) / 1e9; // sendAll flushed: all acknowledged
      long numbers = sender.acknowledged().stats().count();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (latest.get().cumulative().stats().count() < numbers && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      return new Outcome(
          linesPerSecond,
          lines,
          seconds,
          latest.get().cumulative().stats(),
          log.batches(),
          settings.batch());
    } finally {
      context.stop(true, false);
      ReportSinks.unregister(settings.sinkName());
    }
  }

  /** Seeded lines of integers below 1000, as the rest of the benchmark uses. */
  static Iterator<String> generated(int numbersPerLine) {
    Random random = new Random(1);
    StringBuilder line = new StringBuilder();
    return Stream.generate(
            () -> {
              line.setLength(0);
              for (int k = 0; k < numbersPerLine; k++) {
                line.append(k == 0 ? "" : " ").append(random.nextInt(1000));
              }
              return line.toString();
            })
        .iterator();
  }

  /** Every completed batch, with the heap retained when it completed. */
  private static final class BatchLog implements StreamingListener {
    private final List<Batch> batches = new ArrayList<>();

    @Override
    public synchronized void onBatchCompleted(StreamingListenerBatchCompleted event) {
      BatchInfo info = event.batchInfo();
      batches.add(
          new Batch(
              info.numRecords(),
              (Long) info.processingDelay().get(),
              (Long) info.schedulingDelay().get(),
              retainedHeapMb()));
    }

    /** The heap in use after the last collection of each pool: what is kept, not garbage. */
    private static long retainedHeapMb() {
      long bytes = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (pool.getType() == MemoryType.HEAP && afterGc != null) {
          bytes += afterGc.getUsed();
        }
      }
      return bytes >> 20;
    }

    synchronized void clear() {
      batches.clear();
    }

    synchronized List<Batch> batches() {
      return List.copyOf(batches);
    }
  }
}
