package dev.streamlab.jobs.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * The consumers of one JVM (an executor, or the driver in local mode) kept between batches, one per
 * stream and partition, so that a batch that goes on where the last one ended needs no new
 * connection and no seek ({@link PartitionReader}). It is bounded both ways:
 *
 * <ul>
 *   <li>at most {@link #capacity} idle consumers; one more closes the one idle for longest. The
 *       capacity is Spark's own setting, {@code spark.streaming.kafka.consumer.cache.maxCapacity}
 *       (64 by default), and {@code spark.streaming.kafka.consumer.cache.enabled=false} keeps none;
 *   <li>a consumer idle for {@link #IDLE_TIMEOUT} is closed, by a daemon thread that looks every
 *       {@link #SWEEP}: the consumers of a stream that stopped close on every executor, where the
 *       driver's {@link #closeStream} does not reach.
 * </ul>
 *
 * <p>A retried task (attempt 1 and later) never takes a kept consumer: it closes the one kept for
 * its partition and opens a new one, in case the failure was the consumer's. A killed or failed
 * task's consumer is closed, not kept; one whose task stopped mid-range without failing (a {@code
 * take}) is kept and seeks next time. Closing never throws ({@link PartitionReader#close}), so the
 * sweeper goes on sweeping.
 */
final class ConsumerCache {

  /** Spark's default for {@code spark.streaming.kafka.consumer.cache.maxCapacity}. */
  static final int DEFAULT_CAPACITY = 64;

  /** How long a consumer may stay idle before it is closed: several minutes of batches. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** How often the idle consumers are looked at. */
  static final Duration SWEEP = Duration.ofSeconds(30);

  /** The cache of this JVM, whose consumers are Kafka's. */
  static final ConsumerCache SHARED =
      new ConsumerCache(
          config -> new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()),
          IDLE_TIMEOUT,
          System::nanoTime);

  record Key(String streamId, TopicPartition partition) {}

  private record Idle(PartitionReader reader, long since) {}

  private static final AtomicLong CLIENTS = new AtomicLong();

  /** How many stopped streams are remembered, so that their last tasks' consumers are closed. */
  private static final int CLOSED_STREAMS_KEPT = 1024;

  private final Function<Map<String, Object>, Consumer<String, String>> factory;
  private final long idleTimeoutNanos;
  private final LongSupplier clock;
  private final LinkedHashMap<Key, Idle> idle = new LinkedHashMap<>(); // oldest given back first
  private final List<String> closedStreams = new ArrayList<>();
  private int capacity = DEFAULT_CAPACITY;
  private ScheduledExecutorService sweeper;

  /**
   * A cache whose consumers {@code factory} opens from a reader's configuration.
   *
   * @param idleTimeout how long a consumer may stay idle before it is closed
   * @param clock the time in nanoseconds, as {@link System#nanoTime}
   */
  ConsumerCache(
      Function<Map<String, Object>, Consumer<String, String>> factory,
      Duration idleTimeout,
      LongSupplier clock) {
    this.factory = factory;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.clock = clock;
  }

  /** Keeps at most {@code capacity} idle consumers from now on; 0 keeps none. */
  void capacity(int capacity) {
    List<PartitionReader> closing;
    synchronized (this) {
      this.capacity = Math.max(0, capacity);
      closing = overCapacity();
    }
    closing.forEach(PartitionReader::close);
  }

  /**
   * A reader of {@code range} for stream {@code streamId}: the idle one of its partition, or a new
   * one when there is none or when {@code retry} (the task is a retry of a failed one).
   */
  PartitionReader take(
      String streamId,
      Map<String, Object> config,
      OffsetRange range,
      Runnable interruptCheck,
      boolean retry) {
    Key key = new Key(streamId, range.topicPartition());
    PartitionReader kept;
    synchronized (this) {
      Idle found = idle.remove(key);
      kept = found == null ? null : found.reader();
    }
    if (kept != null && retry) {
      kept.close();
      kept = null;
    }
    PartitionReader reader =
        kept != null ? kept : new PartitionReader(this, key, open(key, config));
    try {
      reader.start(range, interruptCheck);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  /**
   * Takes {@code reader} back after its task: kept when {@code reusable} (its task was neither
   * killed nor failed, its stream runs on, and no other consumer of its partition is kept), closed
   * otherwise.
   */
  void giveBack(PartitionReader reader, boolean reusable) {
    List<PartitionReader> closing = new ArrayList<>();
    synchronized (this) {
      if (reusable
          && !closedStreams.contains(reader.key().streamId())
          && !idle.containsKey(reader.key())) {
        idle.put(reader.key(), new Idle(reader, clock.getAsLong()));
        closing.addAll(overCapacity());
        startSweeper();
      } else {
        closing.add(reader);
      }
    }
    closing.forEach(PartitionReader::close);
  }

  /** Closes the idle consumers of {@code streamId}; those in use close when their task ends. */
  void closeStream(String streamId) {
    List<PartitionReader> closing = new ArrayList<>();
    synchronized (this) {
      closedStreams.add(streamId);
      if (closedStreams.size() > CLOSED_STREAMS_KEPT) {
        closedStreams.remove(0); // a stream stopped that long ago has no task left anywhere
      }
      for (Iterator<Map.Entry<Key, Idle>> it = idle.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Idle> entry = it.next();
        if (entry.getKey().streamId().equals(streamId)) {
          closing.add(entry.getValue().reader());
          it.remove();
        }
      }
    }
    closing.forEach(PartitionReader::close);
  }

  /** Closes the consumers idle for longer than the timeout; returns how many. */
  int closeIdle() {
    List<PartitionReader> closing = new ArrayList<>();
    synchronized (this) {
      long now = clock.getAsLong();
      for (Iterator<Idle> it = idle.values().iterator(); it.hasNext(); ) {
        Idle entry = it.next();
        if (now - entry.since() >= idleTimeoutNanos) {
          closing.add(entry.reader());
          it.remove();
        }
      }
    }
    closing.forEach(PartitionReader::close);
    return closing.size();
  }

  /** How many consumers are kept idle now. */
  synchronized int idleCount() {
    return idle.size();
  }

  private Consumer<String, String> open(Key key, Map<String, Object> config) {
    Map<String, Object> own = new HashMap<>(config);
    // A client id of its own: Kafka registers each client's metrics under it.
    own.putIfAbsent(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "streamlab-reader-" + key.partition() + "-" + CLIENTS.incrementAndGet());
    return factory.apply(own);
  }

  /** Takes out the idle consumers over capacity, oldest first, to close; holding the lock. */
  private List<PartitionReader> overCapacity() {
    List<PartitionReader> over = new ArrayList<>();
    for (Iterator<Idle> it = idle.values().iterator(); idle.size() > capacity && it.hasNext(); ) {
      over.add(it.next().reader());
      it.remove();
    }
    return over;
  }

  /** Starts the daemon thread that closes idle consumers, once; called holding the lock. */
  private void startSweeper() {
    if (sweeper == null) {
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "streamlab-consumer-sweeper");
                thread.setDaemon(true);
                return thread;
              });
      long every = Math.min(SWEEP.toNanos(), Math.max(idleTimeoutNanos, 1_000_000));
      sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.NANOSECONDS);
    }
  }
}
