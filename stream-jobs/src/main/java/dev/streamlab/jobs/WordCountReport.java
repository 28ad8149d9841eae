package dev.streamlab.jobs;

import java.util.List;

/**
 * The running word counts after one batch: how many words and distinct words since the start, and
 * the most frequent ones.
 *
 * @param timeMillis the batch time
 * @param words every word counted since the start
 * @param distinct the distinct words since the start
 * @param top the most frequent words, by count then word
 */
public record WordCountReport(long timeMillis, long words, long distinct, List<WordCount> top) {

  /** A word and how often it came since the start. */
  public record WordCount(String word, long count) {}

  public WordCountReport {
    top = List.copyOf(top);
  }
}
