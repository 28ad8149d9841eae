package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlab.producer.EmbeddedKafkaBroker;
import dev.streamlab.producer.LineSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab-cli run word-count --kafka}, a process of its own, is killed with {@code kill -9} at
 * three points while a producer sends lines of words, and restarted each time on its checkpoint:
 * the last run's counts are exactly those of every word sent, and no report of any run counts a
 * word more often than it was sent.
 */
class WordCountCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VOCABULARY =
      IntStream.range(0, 40).mapToObj(i -> "word" + i).toList();

  @TempDir static Path brokerDir;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // kept for a look when the test fails
  Path dir;

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws IOException {
    broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, brokerDir);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void killedAndRestartedItCountsEveryWordOnce() throws Exception {
    String[] command = {
      "run",
      "word-count",
      "--kafka",
      "words",
      "--bootstrap-server",
      broker.bootstrapServers(),
      "--checkpoint",
      dir.resolve("checkpoint").toString(),
      "--format",
      "json",
      "--top",
      "100"
    };
    List<String> sent = new CopyOnWriteArrayList<>();
    List<JobProcess> runs = new ArrayList<>();
    Random random = new Random(17);
    Iterator<String> lines =
        Stream.generate(
                () ->
                    IntStream.range(0, 5)
                        .mapToObj(i -> VOCABULARY.get(random.nextInt(VOCABULARY.size())))
                        .collect(Collectors.joining(" ")))
            .iterator();
    try (LineSender sender =
        new LineSender(broker.bootstrapServers(), "words", Duration.ofSeconds(30))) {
      Thread producer =
          new Thread(
              () -> {
                try {
                  sender.sendAll(
                      lines, Duration.ofMillis(40), 900, () -> false, (line, n) -> sent.add(line));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "test-word-producer");
      producer.setDaemon(true);

      JobProcess first = start(runs, command);
      producer.start();
      first.awaitLine(line -> words(line) > 0, Duration.ofSeconds(90));
      first.kill(); // as soon as it has counted something

      JobProcess second = start(runs, command);
      second.awaitLine(line -> true, Duration.ofSeconds(90));
      second.awaitLine(line -> true, Duration.ofSeconds(30));
      second.kill(); // right after a batch, while its state is being saved

      JobProcess third = start(runs, command);
      third.awaitLine(line -> true, Duration.ofSeconds(90));
      TimeUnit.MILLISECONDS.sleep(500);
      third.kill(); // in the middle of a batch

      producer.join(60_000);
      sender.flush();
      assertThat(sender.acknowledgedLines()).as("every line acknowledged").isEqualTo(sent.size());
      Map<String, Long> truth = count(sent);
      long allWords = 5L * sent.size();

      JobProcess last = start(runs, command);
      last.awaitLine(line -> words(line) == allWords, Duration.ofSeconds(120));
      last.signal("TERM");
      assertThat(last.awaitExit(Duration.ofSeconds(60))).as(last.err()).isZero();

      List<String> reports = last.outLines();
      assertThat(counts(reports.get(reports.size() - 1))).isEqualTo(truth);
      for (JobProcess run : runs) {
        for (String report : run.outLines()) {
          counts(report)
              .forEach(
                  (word, count) ->
                      assertThat(count)
                          .as("no report counts %s more often than it was sent", word)
                          .isLessThanOrEqualTo(truth.get(word)));
        }
      }
    } finally {
      for (JobProcess run : runs) {
        run.close();
      }
    }
  }

  private JobProcess start(List<JobProcess> runs, String... command) throws IOException {
    JobProcess run = JobProcess.labCli(dir, command);
    runs.add(run);
    return run;
  }

  private static Map<String, Long> count(List<String> lines) {
    return lines.stream()
        .flatMap(line -> Arrays.stream(line.split(" ")))
        .collect(Collectors.groupingBy(word -> word, TreeMap::new, Collectors.counting()));
  }

  private static long words(String report) {
    return json(report).get("words").asLong();
  }

  private static Map<String, Long> counts(String report) {
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode word : json(report).get("top")) {
      counts.put(word.get("word").asText(), word.get("count").asLong());
    }
    return counts;
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON report: " + line, e);
    }
  }
}
