package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.run.SampleFeeds;
import dev.streamlab.producer.feed.DirectoryDropper;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.testkit.Feeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's jobs through the CLI, on real sockets and real directories, Spark in local[2]. */
class LabJobCommandTest {

  @TempDir Path dir;

  @Test
  void upperCasesLinesFromASocketServerAsJson() throws Exception {
    List<String> lines = List.of("hello spark", "über streams");
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      Thread serving = Feeds.serveInBackground(server, lines, 5);

      CommandRun run =
          CommandRun.of(
              "",
              "run",
              "uppercase",
              "--socket",
              "127.0.0.1:" + server.port(),
              "--format",
              "json",
              "--duration",
              "7s");

      serving.join(5_000);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(json(run).flatMap(batch -> strings(batch.get("lines"))))
          .containsExactly("HELLO SPARK", "ÜBER STREAMS");
    }
  }

  @Test
  void printsOnlyLongWordsOfTheSampleDroppedIntoAWatchedDirectory() {
    CommandRun run = CommandRun.of("", "run", "long-words", "--duration", "7s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("dropping the sample text into it every 2s");
    List<String> words =
        run.out()
            .lines()
            .filter(line -> !line.isEmpty() && !line.startsWith("-") && !line.startsWith("Time:"))
            .toList();
    assertThat(words).contains("sequence", "checkpoints", "application");
    assertThat(words)
        .allSatisfy(word -> assertThat(word).hasSizeGreaterThan(5).doesNotContain(" "));
  }

  @Test
  void venuesOfTheEmbeddedFeedAreCountedPrintedAndSavedAndItsHttpHeaderSkipped() throws Exception {
    String prefix = dir.resolve("venues").toString();

    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "venues",
            "--batch",
            "2s",
            "--duration",
            "9s",
            "--format",
            "json",
            "--save",
            prefix);

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> batches = json(run).toList();
    long rsvps = batches.stream().mapToLong(batch -> batch.get("rsvps").asLong()).sum();
    long withVenue = batches.stream().mapToLong(batch -> batch.get("with_venue").asLong()).sum();
    long printed = batches.stream().mapToLong(batch -> batch.get("venues").size()).sum();
    assertThat(rsvps).isGreaterThan(10);
    assertThat(withVenue).isEqualTo(printed).isLessThanOrEqualTo(rsvps).isPositive();
    assertThat(batches.stream().mapToLong(batch -> batch.get("skipped").asLong()).sum())
        .isEqualTo(SampleFeeds.HTTP_HEADER.size());
    assertThat(batches)
        .flatMap(batch -> List.copyOf(batch.get("venues").findValues("venue_name")))
        .hasSize((int) printed);
    assertThat(Feeds.savedLines(dir)).hasSize((int) withVenue);
    assertThat(run.err())
        .contains(
            "Stopped after "
                + batches.size()
                + " batches: "
                + rsvps
                + " RSVPs, "
                + withVenue
                + " with a venue, 5 lines skipped");
  }

  @Test
  void windowCountsAddUpTheBatchesTheyCover() {
    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "window-count",
            "--batch",
            "1s",
            "--window",
            "3s",
            "--slide",
            "1s",
            "--duration",
            "8s",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> slides = json(run).toList();
    assertThat(slides).hasSizeGreaterThan(4);
    assertThat(slides)
        .allSatisfy(
            slide -> {
              JsonNode covered = slide.get("window_batches");
              assertThat(covered.size()).isBetween(1, 3);
              assertThat(slide.get("window").get("lines").asLong())
                  .isEqualTo(sum(covered, "lines"));
              assertThat(slide.get("window").get("venues").asLong())
                  .isEqualTo(sum(covered, "venues"));
            });
    assertThat(slides.stream().mapToLong(slide -> slide.get("batch").get("lines").asLong()).sum())
        .isGreaterThan(10);
  }

  @Test
  void runningWordCountsContinueFromTheCheckpointOfAnEarlierRun() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Path text = Files.writeString(dir.resolve("text.txt"), "to be or not to be\n");
    String[] args = {
      "run",
      "word-count",
      "--dir",
      watched.toString(),
      "--checkpoint",
      dir.resolve("checkpoint").toString(),
      "--duration",
      "6s",
      "--format",
      "json"
    };

    Thread dropping = dropLater(watched, text);
    CommandRun first = CommandRun.of("", args);
    dropping.join();
    dropping = dropLater(watched, text);
    CommandRun second = CommandRun.of("", args);
    dropping.join();

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode last = json(second).reduce((a, b) -> b).orElseThrow();
    assertThat(last.get("words").asLong()).isEqualTo(12);
    assertThat(last.get("distinct").asLong()).isEqualTo(4);
    assertThat(last.get("top").get(0).get("word").asText()).isEqualTo("be");
    assertThat(last.get("top").get(0).get("count").asLong()).isEqualTo(4);
  }

  @Test
  void optionErrorsAreUsageErrors() {
    assertThat(CommandRun.of("", "run", "uppercase", "--dir", "/tmp", "--socket", "h:1").exitCode())
        .isEqualTo(2);
    CommandRun socket = CommandRun.of("", "run", "uppercase", "--socket", "localhost");
    assertThat(socket.exitCode()).isEqualTo(2);
    assertThat(socket.err()).contains("--socket takes HOST:PORT, was 'localhost'");
    CommandRun checkpoint = CommandRun.of("", "run", "venues", "--checkpoint", dir.toString());
    assertThat(checkpoint.exitCode()).isEqualTo(2);
    assertThat(checkpoint.err()).contains("--checkpoint resumes a job on the same source");
    CommandRun window = CommandRun.of("", "run", "window-count", "--window", "25s");
    assertThat(window.exitCode()).isEqualTo(2);
    assertThat(window.err()).contains("--window 25s is not a multiple of --batch 10s");
    CommandRun conf = CommandRun.of("", "run", "uppercase", "--conf", "backpressure=true");
    assertThat(conf.exitCode()).isEqualTo(2);
    assertThat(conf.err()).contains("--conf takes Spark settings (spark.*), was 'backpressure'");
    CommandRun top = CommandRun.of("", "run", "word-count", "--top", "-1");
    assertThat(top.exitCode()).isEqualTo(2);
    assertThat(top.err()).contains("--top must not be negative, was -1");
  }

  /** Drops {@code text} into {@code watched} 3 s from now, once a job is watching. */
  private static Thread dropLater(Path watched, Path text) {
    Thread thread =
        new Thread(
            () -> {
              try {
                TimeUnit.SECONDS.sleep(3);
                new DirectoryDropper(watched).drop(text);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    thread.start();
    return thread;
  }

  private static Stream<JsonNode> json(CommandRun run) {
    return run.out().lines().map(LabJson::read);
  }

  private static Stream<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText);
  }

  private static long sum(JsonNode batches, String field) {
    return StreamSupport.stream(batches.spliterator(), false)
        .mapToLong(batch -> batch.get(field).asLong())
        .sum();
  }
}
