package dev.streamlab.jobs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * <p>Consumers are kept between batches, one per partition and stream in each executor, with the
 * records fetched past the end of the last range: the next batch starts where this one ended, so it
 * usually needs no new connection and no seek.
 */
final class PartitionReader implements Iterator<ConsumerRecord<String, String>> {

  private static final Duration POLL = Duration.ofMillis(50);

  private record Key(String streamId, TopicPartition partition) {}

  private static final Map<Key, PartitionReader> IDLE = new ConcurrentHashMap<>();
  private static final Set<String> CLOSED_STREAMS = ConcurrentHashMap.newKeySet();
  private static final AtomicLong CLIENTS = new AtomicLong();

  private final Key key;
  private final KafkaConsumer<String, String> consumer;
  private final ArrayDeque<ConsumerRecord<String, String>> fetched = new ArrayDeque<>();
  private long position; // the offset the fetched records continue from
  private long until;
  private TaskContext task;
  private ConsumerRecord<String, String> pending;

  private PartitionReader(Key key, Map<String, Object> config) {
    this.key = key;
    Map<String, Object> own = new HashMap<>(config);
    // A client id of its own: Kafka registers each client's metrics under it.
    own.putIfAbsent(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "streamlab-reader-" + key.partition() + "-" + CLIENTS.incrementAndGet());
    this.consumer = new KafkaConsumer<>(own, new StringDeserializer(), new StringDeserializer());
    consumer.assign(List.of(key.partition()));
    this.position = -1;
  }

  /**
   * The records of {@code range}, read by the idle consumer of {@code streamId} for its partition
   * or a new one, which goes back to the idle ones when {@code task} completes.
   */
  static Iterator<ConsumerRecord<String, String>> read(
      String streamId, Map<String, Object> config, OffsetRange range, TaskContext task) {
    Key key = new Key(streamId, range.topicPartition());
    PartitionReader reader = IDLE.remove(key);
    if (reader == null) {
      reader = new PartitionReader(key, config);
    }
    reader.start(range, task);
    PartitionReader started = reader;
    task.addTaskCompletionListener(
        (TaskCompletionListener) context -> started.release(!context.isInterrupted()));
    return reader;
  }

  /** Closes the idle consumers of {@code streamId}; those in use close when their task ends. */
  static void closeAll(String streamId) {
    CLOSED_STREAMS.add(streamId);
    for (Key key : List.copyOf(IDLE.keySet())) {
      if (key.streamId().equals(streamId)) {
        PartitionReader reader = IDLE.remove(key);
        if (reader != null) {
          reader.consumer.close(Duration.ZERO);
        }
      }
    }
  }

  private void start(OffsetRange range, TaskContext task) {
    this.task = task;
    this.until = range.untilOffset();
    this.pending = null;
    if (position != range.fromOffset()) {
      fetched.clear();
      consumer.seek(key.partition(), range.fromOffset());
      position = range.fromOffset();
    }
  }

  private void release(boolean reusable) {
    if (pending != null) { // the task stopped reading mid-range: the next one seeks
      pending = null;
      fetched.clear();
      position = -1;
    }
    if (reusable
        && !CLOSED_STREAMS.contains(key.streamId())
        && IDLE.putIfAbsent(key, this) == null) {
      return;
    }
    consumer.close(Duration.ZERO);
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
    task.killTaskIfInterrupted();
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
