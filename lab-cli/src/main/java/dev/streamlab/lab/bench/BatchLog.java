package dev.streamlab.lab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/** Every batch a measured job completes: its records and its processing times. */
final class BatchLog implements StreamingListener {

  /** One completed batch; times in epoch ms. */
  record Batch(
      long records,
      long processingStartMillis,
      long processingEndMillis,
      long schedulingDelayMillis) {

    long processingMillis() {
      return processingEndMillis - processingStartMillis;
    }
  }

  /** The batches that had records: from the start of the first to the end of the last. */
  record Summary(
      long count,
      long readingMillis,
      long maxProcessingMillis,
      long meanProcessingMillis,
      long maxSchedulingDelayMillis) {

    static Summary of(List<Batch> batches) {
      List<Batch> reading = batches.stream().filter(batch -> batch.records() > 0).toList();
      long first = reading.stream().mapToLong(Batch::processingStartMillis).min().orElse(0);
      long last = reading.stream().mapToLong(Batch::processingEndMillis).max().orElse(0);
      return new Summary(
          reading.size(),
          Math.max(1, last - first),
          reading.stream().mapToLong(Batch::processingMillis).max().orElse(0),
          Math.round(reading.stream().mapToLong(Batch::processingMillis).average().orElse(0)),
          reading.stream().mapToLong(Batch::schedulingDelayMillis).max().orElse(0));
    }
  }

  private final List<Batch> batches = new ArrayList<>();

  @Override
  public synchronized void onBatchCompleted(StreamingListenerBatchCompleted event) {
    BatchInfo info = event.batchInfo();
    batches.add(
        new Batch(
            info.numRecords(),
            (Long) info.processingStartTime().get(),
            (Long) info.processingEndTime().get(),
            (Long) info.schedulingDelay().get()));
    notifyAll();
  }

  /** Forgets the batches so far. */
  synchronized void clear() {
    batches.clear();
  }

  /** The batches completed so far. */
  synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  /** The batches completed so far that had records. */
  synchronized List<Batch> reading() {
    return batches.stream().filter(batch -> batch.records() > 0).toList();
  }

  /**
   * Waits until {@code count} batches with records have completed.
   *
   * @throws IllegalStateException when they have not within {@code timeout}
   */
  synchronized void awaitReading(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reading().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            reading().size() + " of " + count + " batches with records in " + timeout);
      }
      wait(100);
    }
  }

  /** Waits, at most 30 s, for one more batch (the one in flight) to complete. */
  synchronized void awaitNext() throws InterruptedException {
    int seen = batches.size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (batches.size() == seen && System.nanoTime() < deadline) {
      wait(100);
    }
  }
}
