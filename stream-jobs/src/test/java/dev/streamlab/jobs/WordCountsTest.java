package dev.streamlab.jobs;

import static dev.streamlab.jobs.JobTestSupport.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.feed.DirectoryDropper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The running word count on a real watched directory, Spark in local[2], across a restart. */
class WordCountsTest {

  private static final List<String> TEXT =
      List.of(
          "the quick brown fox jumps over the lazy dog",
          "  the dog sleeps\tand the fox runs  ",
          "",
          "Über straße: the fox, the FOX");

  @TempDir Path dir;

  private JavaStreamingContext context;
  @RegisterExtension final TestSinks sinks = new TestSinks();

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop(true, false);
    }
  }

  @Test
  void countsEveryWordSinceTheStartAlsoAcrossARestartFromTheCheckpoint() throws Exception {
    List<WordCountReport> reports = new CopyOnWriteArrayList<>();
    ReportSink<WordCountReport> sink = sinks.into(WordCountReport.class, reports);
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Path text = Files.write(dir.resolve("text.txt"), TEXT);
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<String, Long> once = expectedCounts(1);
    long wordsOnce = once.values().stream().mapToLong(Long::longValue).sum();

    context = start(watched, checkpoint, sink);
    TimeUnit.MILLISECONDS.sleep(1500);
    DirectoryDropper dropper = new DirectoryDropper(watched);
    dropper.drop(text);
    dropper.drop(text);
    awaitUntil(() -> reports.stream().anyMatch(report -> report.words() >= 2 * wordsOnce));
    context.stop(true, true);

    context = start(watched, checkpoint, sink);
    TimeUnit.MILLISECONDS.sleep(1500);
    dropper.drop(text);
    awaitUntil(() -> reports.stream().anyMatch(report -> report.words() >= 3 * wordsOnce));
    TimeUnit.SECONDS.sleep(2); // nothing counted twice after the last drop
    context.stop(true, true);
    context = null;

    WordCountReport last = reports.get(reports.size() - 1);
    Map<String, Long> thrice = expectedCounts(3);
    assertThat(last.words()).isEqualTo(3 * wordsOnce);
    assertThat(last.distinct()).isEqualTo(thrice.size());
    assertThat(last.top())
        .extracting(WordCountReport.WordCount::word, WordCountReport.WordCount::count)
        .containsExactlyElementsOf(
            thrice.entrySet().stream()
                .sorted(
                    Map.Entry.<String, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(5)
                .map(entry -> org.assertj.core.groups.Tuple.tuple(entry.getKey(), entry.getValue()))
                .toList());
    assertThat(last.top().get(0)).isEqualTo(new WordCountReport.WordCount("the", 18));
  }

  /** The counts of TEXT dropped {@code times} times, by plain Java. */
  /** The job on the files moved into {@code watched}, recovered from its checkpoint if any. */
  private static JavaStreamingContext start(
      Path watched, String checkpoint, ReportSink<WordCountReport> sink) {
    JavaStreamingContext started =
        WordCountJob.getOrCreate(
                WordCountJob.Settings.of(
                        JobSettings.of(Source.directory(watched.toString()))
                            .master("local[2]")
                            .checkpointDir(checkpoint))
                    .top(5),
                sink)
            .streaming();
    started.start();
    return started;
  }

  private static Map<String, Long> expectedCounts(int times) {
    return TEXT.stream()
        .flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
        .filter(word -> !word.isEmpty())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue() * times));
  }
}
