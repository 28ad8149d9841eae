package dev.streamlab.jobs;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The lab's first exercises as pipelines: every line upper-cased (steps 1 and 2), and only the
 * words longer than five characters (submission 1).
 */
public final class TextJobs {

  /** The length a word must exceed to count as long in the lab's submission 1. */
  public static final int LONG_WORD = 5;

  private TextJobs() {}

  /** Every line, upper-cased (locale-independent). */
  public static JavaDStream<String> upperCase(JavaDStream<String> lines) {
    return lines.map(line -> line.toUpperCase(Locale.ROOT));
  }

  /** The words of every line that are longer than {@link #LONG_WORD}. */
  public static JavaDStream<String> longWords(JavaDStream<String> lines) {
    return lines.flatMap(TextJobs::words).filter(word -> word.length() > LONG_WORD);
  }

  /** The words of {@code line}: split on whitespace, empty ones left out. */
  public static Iterator<String> words(String line) {
    return Arrays.stream(line.split("\\s+")).filter(word -> !word.isEmpty()).iterator();
  }

  /** Sends every batch of {@code lines}, as a {@link LinesReport}, to the sink {@code sinkName}. */
  public static void deliver(JavaDStream<String> lines, String sinkName) {
    lines.foreachRDD(
        (rdd, time) ->
            ReportSinks.deliver(sinkName, new LinesReport(time.milliseconds(), rdd.collect())));
  }
}
