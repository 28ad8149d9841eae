package dev.streamlab.jobs.kafka;

import dev.streamlab.jobs.checkpoint.CheckpointLock;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.util.LongAccumulator;

/**
 * A Kafka topic as the input of a lab job, with the job's progress saved the way the variance job
 * saves its own: the offsets each batch read up to, and the job's state if it keeps one, in one
 * file of the checkpoint directory replaced after every batch ({@link StateStore}), never in
 * Spark's checkpoint, whose recovery of a Kafka stream can skip records (docs/reliability.md).
 *
 * <ul>
 *   <li>A job without state builds on {@link #lines()}, then calls {@link
 *       #saveOffsetsAfterEachBatch()}: the offsets are saved once the batch's outputs are done, and
 *       only if they succeeded, so a restarted job makes again at most the batch it was in (at
 *       least once, as Spark's own).
 *   <li>A job with state gives it to {@link #fold}: each batch's lines change the state on the
 *       driver, the new state is saved with the offsets, and only then reported; a job killed at
 *       any point and restarted counts every record exactly once.
 * </ul>
 *
 * <p>A record without a value (a tombstone) is an empty line; records without a value or with an
 * empty one are counted ({@link #emptyRecords()}).
 */
public final class KafkaInput {

  /**
   * The state of a job that keeps none: only the offsets are saved. Its name is kept: state files
   * of format 1 name it in Java serialization.
   */
  enum Stateless {
    INSTANCE
  }

  /** How one batch changes a job's state; runs on the driver, and may run Spark jobs. */
  @FunctionalInterface
  public interface Step<S> extends Serializable {
    /** The state after {@code lines}, the batch at {@code timeMillis}, given the state before. */
    S next(S state, JavaRDD<String> lines, long timeMillis);
  }

  /** What a job reports once a batch's state is saved; runs on the driver. */
  @FunctionalInterface
  public interface Report<S> extends Serializable {
    void saved(S state, Batch batch);
  }

  /**
   * The batch whose state was just saved; it is saved with it ({@link StateStore}).
   *
   * @param timeMillis the batch time
   * @param lostRecords how many records were deleted from the topic before the job could read them,
   *     since the start; never more than zero unless the job goes on after a loss
   * @param lostInBatch the records found lost in this batch, partition by partition
   * @param stalls the partitions standing still when the batch was planned ({@link KafkaStall})
   * @param lag how far behind each partition is after the batch; empty when Kafka did not answer
   *     its planner
   */
  public record Batch(
      long timeMillis,
      long lostRecords,
      List<LostRecords> lostInBatch,
      List<KafkaStall> stalls,
      List<PartitionLag> lag)
      implements Serializable {
    public Batch {
      lostInBatch = List.copyOf(lostInBatch);
      stalls = List.copyOf(stalls);
      lag = List.copyOf(lag);
    }
  }

  /** How long the offsets of a job without state wait for Spark's word on the batch's outputs. */
  private static final java.time.Duration OUTPUTS_PATIENCE = java.time.Duration.ofSeconds(60);

  private final JavaInputDStream<ConsumerRecord<String, String>> records;
  private final StateStore<Serializable> store;
  private final CheckpointLock lock;
  private final StateStore.Saved<Serializable> start;
  private final LongAccumulator emptyRecords;
  private final Function<ConsumerRecord<String, String>, String> toLine;
  private final JavaDStream<String> lines;
  private final Saves saves;
  private final GroupCommits commits; // null without a commit group

  private KafkaInput(
      JavaStreamingContext context,
      KafkaSource source,
      StateStore<Serializable> store,
      CheckpointLock lock,
      StateStore.Saved<Serializable> start,
      KafkaNotice.Listener notices) {
    this.store = store;
    this.lock = lock;
    this.start = start;
    this.saves = new Saves(start);
    GroupCommits group = source.commitGroup() != null ? new GroupCommits(source, notices) : null;
    this.commits = group;
    this.records =
        records(
            context,
            source,
            start.offsets(),
            start.identity().topicId(),
            notices,
            () -> {
              if (group != null) {
                group.close();
              }
              if (lock != null) {
                lock.release();
              }
            });
    LongAccumulator empty = context.sparkContext().sc().longAccumulator("empty records");
    this.emptyRecords = empty;
    this.toLine =
        record -> {
          String value = record.value();
          if (value == null || value.isEmpty()) {
            empty.add(1);
          }
          return value == null ? "" : value;
        };
    this.lines = records.map(toLine);
  }

  /**
   * The input of the job {@code job} on {@code source}, going on from what was saved in {@code
   * checkpointDir} (a path or a Hadoop URI), or a new one when it is null or holds nothing yet. A
   * new job's starting offsets, and a resumed one's identity when it had none, are saved at once.
   *
   * @param lock the lease of {@code checkpointDir} the job holds, checked before every save; null
   *     when there is no checkpoint directory
   * @param codecs the kinds of state this build writes and reads back
   * @param notices where the reader's notices go, or null
   * @throws CheckpointMismatchException when the saved state is another job's or topic's
   * @throws DataLossException when the topic is not the one the saved state counts
   * @throws IllegalStateException when Kafka is unreachable, or the saved state cannot be read
   */
  public static KafkaInput open(
      JavaStreamingContext context,
      KafkaSource source,
      String job,
      String checkpointDir,
      CheckpointLock lock,
      StateCodecs codecs,
      KafkaNotice.Listener notices) {
    StateStore<Serializable> store =
        checkpointDir != null ? new StateStore<>(checkpointDir, codecs) : null;
    if (store != null) {
      store.removeLeftovers();
    }
    StartingPoint.Start start =
        StartingPoint.of(
            source,
            job,
            store != null ? store.load() : java.util.Optional.empty(),
            Stateless.INSTANCE,
            checkpointDir);
    if (store != null && start.changed()) {
      if (lock != null) {
        lock.requireHeld();
      }
      store.save(start.saved());
    }
    if (notices != null) {
      start.notices().forEach(notices::notice);
    }
    return new KafkaInput(context, source, store, lock, start.saved(), notices);
  }

  /**
   * The values of every partition of {@code source}'s topic, from where it says, as a new job with
   * no saved state: nothing is saved, and a restart starts again from {@code source}'s starting
   * offsets. A record without a value (a tombstone) reads as {@code null}. The topic is created,
   * with one partition, when it does not exist.
   *
   * @throws IllegalStateException when Kafka is unreachable
   */
  public static JavaDStream<String> values(JavaStreamingContext context, KafkaSource source) {
    StateStore.Saved<Serializable> start =
        StartingPoint.of(source, "stream", java.util.Optional.empty(), Stateless.INSTANCE, null)
            .saved();
    return records(context, source, start.offsets(), start.identity().topicId(), null, () -> {})
        .map(ConsumerRecord::value);
  }

  /**
   * The records of every partition of a Kafka topic, batch by batch ({@link KafkaTopicStream}):
   * from {@code offsets}, and partitions not in them (added later) from offset 0. Each batch's RDD
   * is a {@link KafkaBatchRDD}, which implements {@code HasOffsetRanges}.
   *
   * @param topicId the id of the topic counted, which must not change
   * @param notices where the reader's notices go, or null
   * @param onStop run when the stream stops
   */
  private static JavaInputDStream<ConsumerRecord<String, String>> records(
      JavaStreamingContext context,
      KafkaSource source,
      Map<TopicPartition, Long> offsets,
      String topicId,
      KafkaNotice.Listener notices,
      Runnable onStop) {
    return new JavaInputDStream<>(
        new KafkaTopicStream(context.ssc(), source, offsets, topicId, notices, onStop),
        KafkaBatchRDD.RECORD);
  }

  /** The topic's lines, a record without a value as an empty one. */
  public JavaDStream<String> lines() {
    return lines;
  }

  /**
   * How many records without a value, or with an empty one, this job's batches have read (counted
   * on the executors: a task run twice counts twice).
   */
  public long emptyRecords() {
    return emptyRecords.value();
  }

  /**
   * Saves the offsets of each batch once the outputs registered before this call are done, and only
   * if they all succeeded ({@link BatchOutputs}).
   */
  public void saveOffsetsAfterEachBatch() {
    BatchOutputs outputs = new BatchOutputs(OUTPUTS_PATIENCE);
    records.context().addStreamingListener(outputs);
    records.foreachRDD(
        (rdd, time) -> {
          saves.save(
              time.milliseconds(),
              none -> {
                outputs.requireEarlierSucceeded(rdd.context());
                return Stateless.INSTANCE;
              },
              rdd);
        });
  }

  /**
   * Keeps the job's state: from {@code initial} (or what was saved), each batch's lines change it
   * by {@code step}; the new state is saved with the offsets, then {@code report}ed.
   *
   * @throws IllegalStateException when the saved state is not a state of this job
   */
  public <S extends Serializable> void fold(S initial, Step<S> step, Report<S> report) {
    Serializable saved = start.state();
    if (saved != Stateless.INSTANCE && !initial.getClass().isInstance(saved)) {
      throw new IllegalStateException(
          "the checkpoint in "
              + store.directory()
              + " holds a state of kind '"
              + store.kindOf(saved)
              + "', not this job's ('"
              + store.kindOf(initial)
              + "'): it was imported from another job's savepoint; run that job on it, or give"
              + " another --checkpoint directory");
    }
    if (saved == Stateless.INSTANCE) {
      saves.begin(initial);
    }
    Class<?> type = initial.getClass();
    records.foreachRDD(
        (rdd, time) -> {
          StateStore.Saved<Serializable> next =
              saves.save(
                  time.milliseconds(),
                  state -> step.next(castTo(type, state), rdd.map(toLine), time.milliseconds()),
                  rdd);
          report.saved(castTo(type, next.state()), next.lastBatch());
        });
  }

  /**
   * Hands {@code report} the state this job resumed from and the batch of an earlier run that left
   * it, when the saved state says which batch that was (states saved since format 2): what that run
   * reported last, or was about to report when it stopped. Call it after {@link #fold}, with the
   * same kind of state, for outputs that must see the report of every saved batch: a crash between
   * a batch's save and its report leaves that report to this call.
   */
  public <S extends Serializable> void reportLastSaved(Report<S> report) {
    if (start.lastBatch() != null && start.state() != Stateless.INSTANCE) {
      report.saved(castTo(start.state().getClass(), start.state()), start.lastBatch());
    }
  }

  @SuppressWarnings("unchecked") // the caller's type
  private static <S> S castTo(Class<?> type, Serializable state) {
    return (S) type.cast(state);
  }

  /**
   * The one place a Kafka job's progress is saved, batch after batch, on the driver: a batch is
   * saved only when it goes on exactly where the saved state ends ({@link
   * StateStore.Saved#advance}), and after a batch failed no later one is, so that no range of
   * offsets is ever skipped.
   */
  private final class Saves implements Serializable {
    private static final long serialVersionUID = 1L;

    private StateStore.Saved<Serializable> current;
    private String failure; // the first batch that failed, or null

    Saves(StateStore.Saved<Serializable> start) {
      this.current = start;
    }

    synchronized void begin(Serializable initial) {
      current = current.holding(initial);
    }

    /**
     * Saves the batch {@code rdd} of {@code timeMillis}, whose state {@code step} computes from the
     * last one; returns what was saved.
     */
    StateStore.Saved<Serializable> save(
        long timeMillis,
        java.util.function.Function<Serializable, Serializable> step,
        JavaRDD<ConsumerRecord<String, String>> rdd) {
      StateStore.Saved<Serializable> before;
      synchronized (this) {
        refuseAfterFailure(timeMillis);
        before = current;
      }
      try {
        Serializable after = step.apply(before.state());
        synchronized (this) {
          refuseAfterFailure(timeMillis);
          StateStore.Saved<Serializable> next =
              current.advance(after, KafkaBatchRDD.planOf(rdd), timeMillis);
          if (store != null) {
            if (lock != null) {
              lock.requireHeld();
            }
            store.save(next); // counted once saved: the report may repeat after a crash, not this
          }
          current = next;
          if (commits != null) {
            commits.commit(next.offsets()); // for monitoring: never read back
          }
          return next;
        }
      } catch (RuntimeException e) {
        synchronized (this) {
          if (failure == null) {
            failure = "the batch of " + time(timeMillis) + " failed (" + e.getMessage() + ")";
          }
        }
        throw e;
      }
    }

    private void refuseAfterFailure(long timeMillis) {
      if (failure != null) {
        throw new IllegalStateException(
            failure
                + ", so the batch of "
                + time(timeMillis)
                + " behind it is not saved either: the job stops, and its saved state is that of"
                + " the last batch before the failure");
      }
    }
  }

  private static String time(long millis) {
    return java.time.LocalTime.ofInstant(
            java.time.Instant.ofEpochMilli(millis), java.time.ZoneId.systemDefault())
        .toString();
  }
}
