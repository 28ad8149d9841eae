package dev.streamlab.jobs;

import java.util.Arrays;
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

  /** The words of every line, split on whitespace, that are longer than {@link #LONG_WORD}. */
  public static JavaDStream<String> longWords(JavaDStream<String> lines) {
    return lines
        .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
        .filter(word -> word.length() > LONG_WORD);
  }
}
