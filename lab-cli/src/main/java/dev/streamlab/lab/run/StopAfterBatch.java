package dev.streamlab.lab.run;

import dev.streamlab.jobs.checkpoint.Checkpoints;
import java.time.Duration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * The end of a graceful stop: the batch that takes in everything received until the stop was asked
 * for, and the wait for it to be processed (and checkpointed).
 *
 * <p>Spark's own graceful stop ({@code stop(true, true)}) lets its batch timer fire twice more
 * after the call, then waits for both batches: up to two batch intervals after the data has
 * stopped, plus up to 10 s for a receiver to end, which is 29 s for a 10 s batch. Here the job
 * instead runs on until the first batch that starts at least {@link #SETTLE} after the request: the
 * blocks of a receiver (cut every 200 ms) and the records of Kafka up to the request are all in it
 * or before it. Once that batch is done, and its checkpoint written, the context is stopped at
 * once: at most one batch interval, {@code SETTLE} and that batch's processing after the request.
 *
 * <p>Batch times are multiples of the batch interval since the epoch (Spark's {@code
 * RecurringTimer}), also after a recovery, so the batch is known before it starts.
 */
final class StopAfterBatch implements StreamingListener {

  /** How long after a stop request a batch must start to hold everything received before it. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  private final long batchTime;
  private final String checkpointDir;
  private volatile long lastCompleted = Long.MIN_VALUE;

  private StopAfterBatch(long batchTime, String checkpointDir) {
    this.batchTime = batchTime;
    this.checkpointDir = checkpointDir;
  }

  /**
   * The stop, asked for now, of {@code context}, whose batches last {@code batch}.
   *
   * @param checkpointDir Spark's checkpoint directory of the job, or null when it has none
   */
  static StopAfterBatch askedNow(
      JavaStreamingContext context, Duration batch, String checkpointDir) {
    long settled = System.currentTimeMillis() + SETTLE.toMillis();
    long interval = batch.toMillis();
    long time = (settled + interval - 1) / interval * interval;
    StopAfterBatch stop = new StopAfterBatch(time, checkpointDir);
    context.addStreamingListener(stop);
    return stop;
  }

  /** The time of the last batch the job runs, in ms since the epoch. */
  long batchTime() {
    return batchTime;
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    lastCompleted = Math.max(lastCompleted, completed.batchInfo().batchTime().milliseconds());
  }

  /** Whether the last batch is processed and, if the job has a checkpoint, checkpointed. */
  boolean done() {
    return lastCompleted >= batchTime
        && (checkpointDir == null || Checkpoints.checkpointedAfter(checkpointDir, batchTime));
  }
}
