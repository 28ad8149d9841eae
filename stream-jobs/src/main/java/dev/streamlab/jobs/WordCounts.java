package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * The lab's running word count ({@code updatestate.py}): how often every word came since the start,
 * kept across batches by {@code updateStateByKey}. Words are split on whitespace, as {@link
 * TextJobs#words} does, and counted as they are (case and punctuation kept, as in the lab).
 *
 * <p>The context needs a checkpoint directory; a job restarted on it continues the counts. Run it
 * with {@code bin/lab-cli run word-count}.
 */
public final class WordCounts {

  private WordCounts() {}

  /** The running count of every word of {@code lines} since the start. */
  public static JavaPairDStream<String, Long> running(JavaDStream<String> lines) {
    return lines
        .flatMap(TextJobs::words)
        .mapToPair(word -> new Tuple2<>(word, 1L))
        .reduceByKey(Long::sum)
        .updateStateByKey(
            (List<Long> news, Optional<Long> count) ->
                Optional.of(count.orElse(0L) + news.stream().mapToLong(Long::longValue).sum()));
  }

  /**
   * The running count of every word of a Kafka topic since the start, kept with the offsets it
   * covers ({@link KafkaInput#fold}) rather than in Spark's checkpoint: a job killed and restarted
   * counts every word exactly once. Sends a {@link WordCountReport} of every batch, with the {@code
   * top} most frequent words, to the sink {@code sinkName}.
   */
  public static void running(KafkaInput input, int top, String sinkName) {
    requireTop(top);
    input.fold(
        WordCountState.EMPTY,
        (state, lines, time) ->
            state.plus(
                lines
                    .flatMap(TextJobs::words)
                    .mapToPair(word -> new Tuple2<>(word, 1L))
                    .reduceByKey(Long::sum)
                    .collectAsMap()),
        (state, time) -> ReportSinks.deliver(sinkName, state.report(time, top)));
  }

  private static void requireTop(int top) {
    if (top < 0) {
      throw new IllegalArgumentException("top must not be negative, was " + top);
    }
  }

  /**
   * Sends a {@link WordCountReport} of every batch, with the {@code top} most frequent words, to
   * the sink {@code sinkName}.
   */
  public static void deliver(JavaPairDStream<String, Long> counts, int top, String sinkName) {
    requireTop(top);
    counts.foreachRDD(
        (rdd, time) -> {
          List<WordCountReport.WordCount> best =
              rdd.takeOrdered(top, new ByCountThenWord()).stream()
                  .map(pair -> new WordCountReport.WordCount(pair._1(), pair._2()))
                  .toList();
          long words = rdd.values().fold(0L, Long::sum);
          ReportSinks.deliver(
              sinkName, new WordCountReport(time.milliseconds(), words, rdd.count(), best));
        });
  }

  /** Most frequent first; equal counts in word order. */
  private static final class ByCountThenWord
      implements Comparator<Tuple2<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
      int byCount = Long.compare(b._2(), a._2());
      return byCount != 0 ? byCount : a._1().compareTo(b._1());
    }
  }
}
