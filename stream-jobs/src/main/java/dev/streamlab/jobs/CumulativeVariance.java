package dev.streamlab.jobs;

import dev.streamlab.variance.Tally;
import java.time.Duration;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * The cumulative variance pipeline: from lines of numbers to a {@link VarianceReport} after every
 * batch, with the statistics of every valid number since the start.
 *
 * <p>Each batch's lines are parsed in their partitions into {@link Tally tallies}, reduced to one
 * tally per batch, and merged exactly once into a single state by {@code updateStateByKey}, which
 * Spark checkpoints; so the cumulative result counts every number once, whatever the window and
 * slide, and survives a restart from the checkpoint. A report is due (to be printed) when its batch
 * time is a multiple of the slide interval.
 *
 * <p>The context must have a checkpoint directory. The input may be any {@code JavaDStream<String>}
 * that supports checkpointing (Kafka, socket, directory; not {@code queueStream}).
 */
public final class CumulativeVariance {

  private static final Integer KEY = 0;

  private CumulativeVariance() {}

  /**
   * Builds the pipeline on {@code lines}.
   *
   * @param batch the batch interval of {@code lines}' context
   * @param window the length of the window whose statistics each report also carries
   * @param slide how often a report is due; window and slide must be multiples of {@code batch}
   */
  public static JavaDStream<VarianceReport> build(
      JavaDStream<String> lines, Duration batch, Duration window, Duration slide) {
    requireMultiple("window", window, batch);
    requireMultiple("slide", slide, batch);
    int windowBatches = (int) (window.toMillis() / batch.toMillis());
    long slideMillis = slide.toMillis();

    JavaDStream<Tally> batchTallies =
        lines
            .mapPartitions(partition -> List.of(Tally.of(partition)).iterator())
            .reduce(Tally::plus);

    // Every batch has a tally (an empty one when no lines came), so the state exists from the
    // first batch. No initial RDD: one from outside the streaming graph breaks recovery.
    JavaPairDStream<Integer, VarianceState> states =
        batchTallies
            .mapToPair(tally -> new Tuple2<>(KEY, tally))
            .updateStateByKey(
                (List<Tally> news, Optional<VarianceState> state) ->
                    Optional.of(
                        state
                            .orElse(VarianceState.start(windowBatches))
                            .advance(news.stream().reduce(Tally.EMPTY, Tally::plus))),
                new HashPartitioner(1));

    return states.transform(
        (rdd, time) ->
            rdd.values()
                .map(
                    state ->
                        new VarianceReport(
                            time.milliseconds(),
                            state.total(),
                            state.window(),
                            time.milliseconds() % slideMillis == 0)));
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
