package dev.streamlab.jobs;

import dev.streamlab.variance.Tally;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * The cumulative variance pipeline: from a Kafka stream of number lines to a {@link VarianceReport}
 * after every batch, with the statistics of every valid number since the start.
 *
 * <p>Each batch's lines are parsed in their partitions into {@link Tally tallies} and reduced to
 * one tally, which the driver merges into the {@link VarianceState} exactly once. The new state and
 * the offsets the batch read up to are then saved together ({@link StateStore}) before the report
 * goes out; so the cumulative result counts every number once, whatever the window and slide, and a
 * job restarted from the saved state reads on from exactly where it stopped, even after {@code kill
 * -9}. A report is due (to be printed) when its batch time is a multiple of the slide interval.
 */
public final class CumulativeVariance {

  private CumulativeVariance() {}

  /**
   * Builds the pipeline on {@code records}, continuing from {@code start}, and sends its reports to
   * the {@link ReportSinks sink} named {@code sinkName}.
   *
   * @param batch the batch interval of {@code records}' context
   * @param window the length of the window whose statistics each report also carries
   * @param slide how often a report is due; window and slide must be multiples of {@code batch}
   */
  static void build(
      JavaInputDStream<ConsumerRecord<String, String>> records,
      Duration batch,
      Duration window,
      Duration slide,
      StateStore<VarianceState> store,
      StateStore.Saved<VarianceState> start,
      String sinkName) {
    requireMultiple("window", window, batch);
    requireMultiple("slide", slide, batch);
    long slideMillis = slide.toMillis();
    AtomicReference<StateStore.Saved<VarianceState>> current = new AtomicReference<>(start);
    records.foreachRDD(
        (rdd, time) -> {
          OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
          List<LostRecords> lost = KafkaBatchRDD.lostIn(rdd);
          Tally tally =
              rdd.map(ConsumerRecord::value)
                  .mapPartitions(lines -> List.of(Tally.of(lines)).iterator())
                  .fold(Tally.EMPTY, Tally::plus);
          StateStore.Saved<VarianceState> saved = current.get();
          StateStore.Saved<VarianceState> next =
              saved.advance(saved.state().advance(tally), ranges, lost);
          store.save(next); // counted once saved: the report may repeat after a crash, not this
          current.set(next);
          ReportSinks.deliver(
              sinkName,
              new VarianceReport(
                  time.milliseconds(),
                  next.state().total(),
                  next.state().window(),
                  time.milliseconds() % slideMillis == 0,
                  next.lostRecords(),
                  lost));
        });
  }

  /** The number of batches a window of {@code window} covers. */
  static int windowBatches(Duration window, Duration batch) {
    return (int) (window.toMillis() / batch.toMillis());
  }

  static void requireMultiple(String name, Duration value, Duration batch) {
    if (value.toMillis() <= 0 || value.toMillis() % batch.toMillis() != 0) {
      throw new IllegalArgumentException(
          name
              + " must be a positive multiple of the batch interval "
              + batch.toMillis()
              + " ms, was "
              + value.toMillis()
              + " ms");
    }
  }
}
