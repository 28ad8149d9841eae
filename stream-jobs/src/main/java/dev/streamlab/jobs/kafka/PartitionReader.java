package dev.streamlab.jobs.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.spark.TaskContext;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Reads one offset range of one partition on an executor: every record the consumer's isolation
 * level shows whose offset is in the range, in offset order, once.
 *
 * <p>Offsets may have gaps: the commit and abort markers of transactions take an offset each, the
 * records of aborted transactions are skipped under {@code read_committed}, and compaction removes
 * records. A range is done when the consumer's position has reached its end, whether or not a
 * record sits at its last offset; so a range that ends on a marker ends at once, where Spark's
 * {@code KafkaRDD} polls until its timeout and fails.
 *
 * <p>While the broker is away the reader waits for it, however long: a batch that was planned goes
 * on when the broker is back. The task can still be killed (a stop, a cancelled job).
 *
 * <p>Consumers are kept between batches by {@link ConsumerCache}, one per partition and stream in
 * each executor, with the records fetched past the end of the last range: the next batch starts
 * where this one ended, so it usually needs no new connection and no seek.
 */
final class PartitionReader implements Iterator<ConsumerRecord<String, String>> {

  private static final Duration POLL = Duration.ofMillis(50);

  private final ConsumerCache cache;
  private final ConsumerCache.Key key;
  private final Consumer<String, String> consumer;
  private final ArrayDeque<ConsumerRecord<String, String>> fetched = new ArrayDeque<>();
  private long position; // the offset the fetched records continue from
  private long until;
  private Runnable interruptCheck;
  private ConsumerRecord<String, String> pending;

  /** A reader of {@code key}'s partition with {@code consumer}, kept by {@code cache}. */
  PartitionReader(ConsumerCache cache, ConsumerCache.Key key, Consumer<String, String> consumer) {
    this.cache = cache;
    this.key = key;
    this.consumer = consumer;
    consumer.assign(List.of(key.partition()));
    this.position = -1;
  }

  /**
   * The records of {@code range}, read on an executor by the consumer of {@code streamId} for its
   * partition that this JVM keeps, or a new one (always for a retried task), given back when {@code
   * task} completes.
   */
  static Iterator<ConsumerRecord<String, String>> read(
      String streamId,
      Map<String, Object> config,
      OffsetRange range,
      int cacheCapacity,
      TaskContext task) {
    ConsumerCache cache = ConsumerCache.SHARED;
    cache.capacity(cacheCapacity);
    PartitionReader reader =
        cache.take(streamId, config, range, task::killTaskIfInterrupted, task.attemptNumber() > 0);
    task.addTaskCompletionListener(
        (TaskCompletionListener)
            context -> reader.release(!context.isInterrupted() && !context.isFailed()));
    return reader;
  }

  /** What it reads: the stream and partition. */
  ConsumerCache.Key key() {
    return key;
  }

  /** Starts reading {@code range}, checking {@code interruptCheck} before each fetch. */
  void start(OffsetRange range, Runnable interruptCheck) {
    this.interruptCheck = interruptCheck;
    this.until = range.untilOffset();
    this.pending = null;
    if (position != range.fromOffset()) {
      fetched.clear();
      consumer.seek(key.partition(), range.fromOffset());
      position = range.fromOffset();
    }
  }

  /**
   * Gives the consumer back to its cache after a task; {@code completed} when the task was neither
   * killed nor failed (a failed task's consumer is closed, in case the failure was its own). One
   * that stopped mid-range seeks when it reads next.
   */
  void release(boolean completed) {
    if (pending != null || (position >= 0 && position < until)) {
      pending = null;
      fetched.clear();
      position = -1;
    }
    cache.giveBack(this, completed);
  }

  /** Closes its consumer, without waiting for the broker; a failure to is left unsaid. */
  void close() {
    try {
      consumer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      // closing is all that is left to do with it: nothing reads from it again
    }
  }

  @Override
  public boolean hasNext() {
    while (pending == null && position < until) {
      if (fetched.isEmpty()) {
        if (consumer.position(key.partition()) >= until) {
          position = until; // the rest of the range is markers, aborted or compacted records
          break;
        }
        fetch();
        continue;
      }
      ConsumerRecord<String, String> record = fetched.peekFirst();
      if (record.offset() >= until) {
        position = until; // kept for the next batch, which starts here
        break;
      }
      fetched.pollFirst();
      if (record.offset() >= position) {
        pending = record;
        position = record.offset() + 1;
      }
    }
    return pending != null;
  }

  @Override
  public ConsumerRecord<String, String> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the range ends at offset " + until);
    }
    ConsumerRecord<String, String> record = pending;
    pending = null;
    return record;
  }

  private void fetch() {
    interruptCheck.run();
    try {
      for (ConsumerRecord<String, String> record : consumer.poll(POLL).records(key.partition())) {
        fetched.addLast(record);
      }
    } catch (OffsetOutOfRangeException e) {
      throw new IllegalStateException(
          "records of "
              + key.partition()
              + " from offset "
              + position
              + " were deleted (retention or deleteRecords) while the batch read them; the job"
              + " stops, and its saved offsets are unchanged",
          e);
    }
  }
}
