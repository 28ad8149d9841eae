package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaInput;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * The lab's running word count ({@code updatestate.py}): how often every word came since the start,
 * kept across batches by {@code updateStateByKey}. Words are split as {@link Words} does, and
 * counted as they are (case and punctuation kept, as in the lab). It keeps state, so it needs a
 * checkpoint directory; a job restarted on it continues the counts.
 *
 * <p>Run it with {@code bin/lab-cli run word-count}, or with {@code spark-submit …
 * lab-cli-<version>-job.jar run word-count --socket HOST:PORT}.
 */
public final class WordCountJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "word-count";

  /**
   * What the job needs beyond {@link JobSettings}, which must name a checkpoint directory.
   *
   * @param top how many of the most frequent words each report names
   */
  public record Settings(JobSettings job, int top) implements Serializable {

    public Settings {
      Objects.requireNonNull(job, "job");
      if (job.checkpointDir() == null) {
        throw new IllegalArgumentException("the word-count job needs a checkpoint directory");
      }
      requireTop(top);
    }

    /** The job on {@code job}, reporting the 10 most frequent words. */
    public static Settings of(JobSettings job) {
      return new Settings(job, 10);
    }

    /** These settings reporting the {@code top} most frequent words. */
    public Settings top(int top) {
      return new Settings(job, top);
    }
  }

  private WordCountJob() {}

  /**
   * The job's context, a {@link WordCountReport} of every batch going to {@code sink}. On Kafka the
   * counts are kept with the offsets they cover ({@link KafkaInput#fold}) rather than in Spark's
   * checkpoint: a job killed and restarted counts every word exactly once.
   */
  public static JobContext getOrCreate(Settings settings, ReportSink<WordCountReport> sink) {
    return JobContext.getOrCreate(
        NAME,
        settings.job(),
        Pipeline.of(
            lines -> deliver(running(lines), settings.top(), sink),
            input -> running(input, settings.top(), sink)));
  }

  /** The running count of every word of {@code lines} since the start. */
  public static JavaPairDStream<String, Long> running(JavaDStream<String> lines) {
    return lines
        .flatMap(Words::of)
        .mapToPair(word -> new Tuple2<>(word, 1L))
        .reduceByKey(Long::sum)
        .updateStateByKey(
            (List<Long> news, Optional<Long> count) ->
                Optional.of(count.orElse(0L) + news.stream().mapToLong(Long::longValue).sum()));
  }

  /**
   * The running count of every word of a Kafka topic since the start, kept with the offsets it
   * covers; sends a {@link WordCountReport} of every batch, with the {@code top} most frequent
   * words, to {@code sink}.
   */
  static void running(KafkaInput input, int top, ReportSink<WordCountReport> sink) {
    requireTop(top);
    input.fold(
        WordCountState.EMPTY,
        (state, lines, time) ->
            state.plus(
                lines
                    .flatMap(Words::of)
                    .mapToPair(word -> new Tuple2<>(word, 1L))
                    .reduceByKey(Long::sum)
                    .collectAsMap()),
        (state, batch) -> sink.deliver(state.report(batch.timeMillis(), top)));
  }

  /**
   * Sends a {@link WordCountReport} of every batch, with the {@code top} most frequent words, to
   * {@code sink}.
   */
  public static void deliver(
      JavaPairDStream<String, Long> counts, int top, ReportSink<WordCountReport> sink) {
    requireTop(top);
    counts.foreachRDD(
        (rdd, time) -> {
          List<WordCountReport.WordCount> best =
              rdd.takeOrdered(top, new ByCountThenWord()).stream()
                  .map(pair -> new WordCountReport.WordCount(pair._1(), pair._2()))
                  .toList();
          long words = rdd.values().fold(0L, Long::sum);
          sink.deliver(new WordCountReport(time.milliseconds(), words, rdd.count(), best));
        });
  }

  private static void requireTop(int top) {
    if (top < 0) {
      throw new IllegalArgumentException("top must not be negative, was " + top);
    }
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
