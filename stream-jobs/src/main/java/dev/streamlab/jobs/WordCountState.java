package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running word count as a value: how often each word came since the start. The state of the
 * word-count job on Kafka, saved with the offsets it covers ({@link KafkaInput#fold}).
 *
 * @param counts each word's count
 */
public record WordCountState(Map<String, Long> counts) implements Serializable {

  /** No words yet. */
  public static final WordCountState EMPTY = new WordCountState(Map.of());

  public WordCountState {
    counts = Map.copyOf(counts);
  }

  /** The counts after a batch whose words came {@code batch} times each. */
  public WordCountState plus(Map<String, Long> batch) {
    if (batch.isEmpty()) {
      return this;
    }
    Map<String, Long> merged = new HashMap<>(counts);
    batch.forEach((word, count) -> merged.merge(word, count, Long::sum));
    return new WordCountState(merged);
  }

  /** The report of these counts at {@code timeMillis}, with the {@code top} most frequent words. */
  public WordCountReport report(long timeMillis, int top) {
    List<WordCountReport.WordCount> best =
        counts.entrySet().stream()
            .sorted(
                Comparator.comparing(Map.Entry<String, Long>::getValue)
                    .reversed()
                    .thenComparing(Map.Entry::getKey))
            .limit(top)
            .map(entry -> new WordCountReport.WordCount(entry.getKey(), entry.getValue()))
            .toList();
    long words = counts.values().stream().mapToLong(Long::longValue).sum();
    return new WordCountReport(timeMillis, words, counts.size(), best);
  }
}
