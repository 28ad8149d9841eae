package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.util.LongAccumulator;

/**
 * A Kafka topic as the input of a lab job, with the job's progress saved the way the variance job
 * saves its own: the offsets each batch read up to, and the job's state if it keeps one, in one
 * file of the checkpoint directory replaced after every batch ({@link StateStore}), never in
 * Spark's checkpoint, whose recovery of a Kafka stream can skip records (docs/reliability.md).
 *
 * <ul>
 *   <li>A job without state builds on {@link #lines()}, then calls {@link
 *       #saveOffsetsAfterEachBatch()}: the offsets are saved once the batch's outputs are done, so
 *       a restarted job prints again at most the batch it was in (at least once, as Spark's own).
 *   <li>A job with state gives it to {@link #fold}: each batch's lines change the state on the
 *       driver, the new state is saved with the offsets, and only then reported; a job killed at
 *       any point and restarted counts every record exactly once.
 * </ul>
 *
 * <p>A record without a value (a tombstone) is an empty line; records without a value or with an
 * empty one are counted ({@link #emptyRecords()}).
 */
public final class KafkaInput {

  /** The state of a job that keeps none: only the offsets are saved. */
  private enum Stateless {
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
   * The batch whose state was just saved.
   *
   * @param timeMillis the batch time
   * @param lostRecords how many records were deleted from the topic before the job could read them,
   *     since the start; never more than zero unless the job goes on after a loss
   * @param lostInBatch the records found lost in this batch, partition by partition
   */
  public record Batch(long timeMillis, long lostRecords, List<LostRecords> lostInBatch) {
    public Batch {
      lostInBatch = List.copyOf(lostInBatch);
    }
  }

  private final JavaInputDStream<ConsumerRecord<String, String>> records;
  private final StateStore<Serializable> store;
  private final StateStore.Saved<Serializable> start;
  private final LongAccumulator emptyRecords;
  private final Function<ConsumerRecord<String, String>, String> toLine;
  private final JavaDStream<String> lines;

  private KafkaInput(
      JavaStreamingContext context,
      KafkaSource source,
      StateStore<Serializable> store,
      StateStore.Saved<Serializable> start) {
    this.store = store;
    this.start = start;
    this.records = LineStreams.kafkaRecords(context, source, start.offsets());
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
   * The input of a job on {@code source}, going on from what was saved in {@code checkpointDir} (a
   * path or a Hadoop URI), or a new one when it is null or holds nothing yet.
   */
  public static KafkaInput open(
      JavaStreamingContext context, KafkaSource source, String checkpointDir) {
    StateStore<Serializable> store = checkpointDir != null ? new StateStore<>(checkpointDir) : null;
    StateStore.Saved<Serializable> start =
        store != null
            ? store.load().orElseGet(() -> StateStore.Saved.start(Stateless.INSTANCE))
            : StateStore.Saved.start(Stateless.INSTANCE);
    return new KafkaInput(context, source, store, start);
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

  /** Saves the offsets of each batch once the outputs registered before this call are done. */
  public void saveOffsetsAfterEachBatch() {
    if (store == null) {
      return;
    }
    AtomicReference<StateStore.Saved<Serializable>> current = new AtomicReference<>(start);
    records.foreachRDD(
        rdd -> {
          StateStore.Saved<Serializable> next =
              current.get().advance(Stateless.INSTANCE, ranges(rdd), KafkaBatchRDD.lostIn(rdd));
          store.save(next);
          current.set(next);
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
          "the checkpoint holds a " + saved.getClass().getSimpleName() + ", not this job's state");
    }
    @SuppressWarnings("unchecked") // checked above
    S first = saved == Stateless.INSTANCE ? initial : (S) saved;
    AtomicReference<StateStore.Saved<Serializable>> current =
        new AtomicReference<>(new StateStore.Saved<>(first, start.offsets(), start.lostRecords()));
    Class<?> type = initial.getClass();
    records.foreachRDD(
        (rdd, time) -> {
          @SuppressWarnings("unchecked") // only states of type S are kept here
          S state = (S) type.cast(current.get().state());
          S after = step.next(state, rdd.map(toLine), time.milliseconds());
          List<LostRecords> lost = KafkaBatchRDD.lostIn(rdd);
          StateStore.Saved<Serializable> next = current.get().advance(after, ranges(rdd), lost);
          if (store != null) {
            store.save(next); // counted once saved: the report may repeat after a crash, not this
          }
          current.set(next);
          report.saved(after, new Batch(time.milliseconds(), next.lostRecords(), lost));
        });
  }

  private static org.apache.spark.streaming.kafka010.OffsetRange[] ranges(
      JavaRDD<ConsumerRecord<String, String>> rdd) {
    return ((HasOffsetRanges) rdd.rdd()).offsetRanges();
  }
}
