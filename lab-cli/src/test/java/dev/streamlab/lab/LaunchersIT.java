package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlab.lab.cluster.FreePorts;
import dev.streamlab.producer.ProducerCli;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/lab-cli} and {@code bin/producer-cli} as a user runs them, from the repository's root
 * after the build: every command's help, and the setups the README shows in several terminals (a
 * broker, the lab's producer, the variance job and the Milestone 1 consumer against each other; the
 * feeders feeding the lab's jobs). The classes behind these commands have tests of their own; these
 * prove that what a user types starts them.
 */
class LaunchersIT {

  private static final Duration ENDS = Duration.ofMinutes(3);
  private static final Pattern TUPLE =
      Pattern.compile(
          "\\('sum_x_square:', (\\S+), 'sum_x:', (\\S+), 'n:', (\\S+), 'var:', (\\S+)\\)");

  @TempDir Path dir;

  @BeforeEach
  void prepareLaunchers() throws Exception {
    Shell.prepareLaunchers(dir.resolve("prepare"));
  }

  @Test
  void everyCommandOfBothLaunchersAnswersHelp() throws Exception {
    List<String> commands = new ArrayList<>();
    commands(LabCli.commandLine(new ByteArrayInputStream(new byte[0])), commands);
    commands(ProducerCli.commandLine(new ByteArrayInputStream(new byte[0])), commands);
    assertThat(commands)
        .contains(
            "lab-cli run variance", "lab-cli cluster variance", "producer-cli rsvps", "lab-cli");

    for (String command : commands) {
      try (Shell help = Shell.start(dir.resolve("help"), "bin/" + command + " --help")) {
        assertThat(help.awaitExit(ENDS)).as(help.describe()).isZero();
        assertThat(help.out()).as(help.describe()).startsWith("Usage: " + command + " ");
        assertThat(help.err()).as(help.describe()).isEmpty();
      }
    }
  }

  @Test
  void brokerSendRunVarianceAndConsumeAgreeExactly() throws Exception {
    int port = FreePorts.onLoopback(1)[0];
    String bootstrap = "127.0.0.1:" + port;
    try (Shell broker =
        Shell.start(
            dir.resolve("broker"),
            "bin/producer-cli broker --port " + port + " --data-dir " + dir.resolve("kafka"))) {
      assertThat(broker.awaitLine(line -> line.startsWith("Kafka broker ready"), ENDS))
          .isEqualTo(
              "Kafka broker ready at "
                  + bootstrap
                  + " (data in "
                  + dir.resolve("kafka")
                  + "); Ctrl-C stops it");

      // The lab's producer: '1 2 3 4 5 6' every 2 s until Ctrl-C, then what was acknowledged.
      String sent;
      int lines;
      try (Shell send =
          Shell.start(
              dir.resolve("send"), "bin/producer-cli send --bootstrap-server " + bootstrap)) {
        awaitTrue(() -> count(send.err(), "sent: 1 2 3 4 5 6") >= 2, send);
        send.interrupt();
        assertThat(send.awaitExit(ENDS)).as(send.describe()).isZero();
        assertThat(send.err().lines().filter(line -> line.startsWith("sent")))
            .as(send.describe())
            .containsOnly("sent: 1 2 3 4 5 6");
        Matcher acknowledged =
            Pattern.compile("(\\d+) lines acknowledged by " + bootstrap + ", topic variance")
                .matcher(send.err());
        assertThat(acknowledged.find()).as(send.describe()).isTrue();
        lines = Integer.parseInt(acknowledged.group(1));
        assertThat(lines).isGreaterThanOrEqualTo(2);
        sent = lastTuple(send.out());
      }
      assertThat(sent).isEqualTo(tupleOfLabLines(lines));

      try (Shell job =
          Shell.start(
              dir.resolve("job"),
              "bin/lab-cli run variance --bootstrap-server " + bootstrap + " --duration 8s")) {
        assertThat(job.awaitExit(ENDS)).as(job.describe()).isZero();
        assertThat(job.out()).as(job.describe()).contains("Final, after ");
        assertThat(lastTuple(job.out())).as(job.describe()).isEqualTo(sent);
      }

      try (Shell consume =
          Shell.start(
              dir.resolve("consume"),
              "bin/lab-cli consume --bootstrap-server "
                  + bootstrap
                  + " --from-beginning --max-messages "
                  + lines)) {
        assertThat(consume.awaitExit(ENDS)).as(consume.describe()).isZero();
        assertThat(consume.out().lines()).hasSize(lines).containsOnly("1 2 3 4 5 6");
      }

      broker.interrupt();
      assertThat(broker.awaitExit(ENDS)).as(broker.describe()).isZero();
      assertThat(broker.out()).contains("Kafka broker stopped");
    }
  }

  @Test
  void runVarianceFeedsItselfAndCtrlCEndsWithTheFinalSummary() throws Exception {
    try (Shell job = Shell.start(dir.resolve("job"), "bin/lab-cli run variance")) {
      job.awaitLine(line -> TUPLE.matcher(line).matches() && !line.contains("'n:', 0.0"), ENDS);
      job.awaitLine(line -> TUPLE.matcher(line).matches(), ENDS);
      job.interrupt();
      assertThat(job.awaitExit(ENDS)).as(job.describe()).isZero();

      // What the README shows: the broker's line, the line of the Ctrl-C, the final summary.
      List<String> err = job.err().lines().toList();
      assertThat(err)
          .as(job.describe())
          .anyMatch(
              line ->
                  ExpectedOutput.lineMatches(
                      "Embedded Kafka broker at 127.0.0.1:…; feeding topic 'variance' with"
                          + " '1 2 3 4 5 6' every 2s",
                      line))
          .anyMatch(
              line ->
                  ExpectedOutput.lineMatches(
                      "Stopping after the batch of …, due in …s, which holds everything received"
                          + " until now; Ctrl-C again quits at once",
                      line));
      List<String> out = job.out().lines().toList();
      assertThat(
              new ExpectedOutput(
                      List.of(
                          "...",
                          "-------------------------------------------",
                          "Final, after … batches",
                          "-------------------------------------------",
                          "('sum_x_square:', …)"))
                  .matches(out))
          .as(job.describe())
          .isTrue();
      List<String> tuples = out.stream().filter(line -> TUPLE.matcher(line).matches()).toList();
      assertThat(tuples).hasSizeGreaterThanOrEqualTo(3); // two reports and the final one
      for (String tuple : tuples) {
        Matcher fields = TUPLE.matcher(tuple);
        assertThat(fields.matches()).isTrue();
        int n = (int) Double.parseDouble(fields.group(3));
        assertThat(n % 6).as(tuple).isZero(); // n = 0 too: a report before the first line landed
        assertThat(tuple).isEqualTo(tupleOfLabLines(n / 6)); // every line counted whole, once
      }
    }
  }

  @Test
  void serveFeedsUppercaseOnASocket() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      lines.add("line " + i + " of the socket feed");
    }
    Path file = Files.write(dir.resolve("lines.txt"), lines);
    int port = FreePorts.onLoopback(1)[0];
    try (Shell serve = serve(port, 20, file);
        Shell job =
            Shell.start(
                dir.resolve("job"), "bin/lab-cli run uppercase --socket 127.0.0.1:" + port)) {
      assertThat(serve.awaitExit(ENDS)).as(serve.describe()).isZero();
      assertThat(serve.err()).contains("Serving lines on 127.0.0.1:" + port, "served 12 lines");
      awaitTrue(() -> job.out().contains("LINE 12 OF THE SOCKET FEED"), job);
      job.interrupt();
      assertThat(job.awaitExit(ENDS)).as(job.describe()).isZero();

      List<String> printed = job.out().lines().toList();
      for (String line : lines) {
        assertThat(printed).as(job.describe()).containsOnlyOnce(line.toUpperCase());
      }
    }
  }

  @Test
  void dropFeedsWordCountInAWatchedDirectory() throws Exception {
    Path words = Files.writeString(dir.resolve("words"), "to be or not to be\n");
    Path watched = dir.resolve("watched");
    // More copies than the job needs: those dropped before it watches are rightly not read.
    String copies = String.join(" ", Collections.nCopies(60, words.toString()));
    try (Shell job =
        Shell.start(
            dir.resolve("job"),
            "bin/lab-cli run word-count --dir "
                + watched
                + " --checkpoint "
                + dir.resolve("checkpoint"))) {
      try (Shell drop =
          Shell.start(
              dir.resolve("drop"),
              "bin/producer-cli drop --dir " + watched + " --every 1s " + copies)) {
        awaitTrue(() -> job.out().contains("words: "), job);
        TimeUnit.SECONDS.sleep(2); // another drop or two
        drop.interrupt();
        assertThat(drop.awaitExit(ENDS)).as(drop.describe()).isZero();
        assertThat(drop.out().lines()).allMatch(line -> line.startsWith("dropped " + words));
      }
      TimeUnit.SECONDS.sleep(3); // a batch or two after the last drop
      job.interrupt();
      assertThat(job.awaitExit(ENDS)).as(job.describe()).isZero();

      // Each dropped file that the job saw (those dropped after it started) counted whole, once.
      String out = job.out();
      Matcher totals = Pattern.compile("words: (\\d+), distinct: (\\d+)").matcher(out);
      String last = null;
      while (totals.find()) {
        last = totals.group();
      }
      assertThat(last).as(job.describe()).isNotNull();
      Matcher counts = Pattern.compile("words: (\\d+), distinct: (\\d+)").matcher(last);
      assertThat(counts.matches()).isTrue();
      int files = Integer.parseInt(counts.group(1)) / 6;
      assertThat(files).as(job.describe()).isBetween(1, 60);
      assertThat(last).isEqualTo("words: " + 6 * files + ", distinct: 4");
      int end = out.lastIndexOf(last);
      int start = out.lastIndexOf("-------------------------------------------", end);
      assertThat(out.substring(start, end))
          .contains(
              "('be', " + 2 * files + ")",
              "('to', " + 2 * files + ")",
              "('not', " + files + ")",
              "('or', " + files + ")");
    }
  }

  @Test
  void rsvpsServedFeedTheVenuesJob() throws Exception {
    Path rsvps = dir.resolve("rsvps.json");
    try (Shell generate =
        Shell.start(
            dir.resolve("rsvps"), "bin/producer-cli rsvps --count 40 --seed 7 > " + rsvps)) {
      assertThat(generate.awaitExit(ENDS)).as(generate.describe()).isZero();
    }
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(rsvps, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(40);
    long withVenue = 0;
    for (String line : lines) {
      JsonNode venue = json.readTree(line).path("venue");
      withVenue += venue.isObject() ? 1 : 0;
    }
    assertThat(withVenue).isBetween(1L, 39L);

    int port = FreePorts.onLoopback(1)[0];
    Path saved = dir.resolve("saved");
    try (Shell serve = serve(port, 40, rsvps);
        Shell job =
            Shell.start(
                dir.resolve("job"),
                "bin/lab-cli run venues --batch 2s --socket 127.0.0.1:"
                    + port
                    + " --save "
                    + saved.resolve("venues"))) {
      assertThat(serve.awaitExit(ENDS)).as(serve.describe()).isZero();
      awaitTrue(() -> sum(job.out(), "rsvps: (\\d+)") == 40, job);
      job.terminate(); // SIGTERM, as a service manager stops it
      assertThat(job.awaitExit(ENDS)).as(job.describe()).isZero();

      assertThat(job.err())
          .as(job.describe())
          .contains(
              "40 RSVPs, "
                  + withVenue
                  + " with a venue, 0 lines skipped; venues saved in "
                  + saved);
      long venuesSaved;
      try (Stream<Path> files = Files.walk(saved)) {
        venuesSaved =
            files
                .filter(file -> file.getFileName().toString().startsWith("part-"))
                .mapToLong(LaunchersIT::lineCount)
                .sum();
      }
      assertThat(venuesSaved).isEqualTo(withVenue);
    }
  }

  /**
   * {@code producer-cli serve}, serving {@code file} on {@code port}, {@code rate} lines a second.
   */
  private Shell serve(int port, int rate, Path file) throws IOException {
    return Shell.start(
        dir.resolve("serve"),
        "bin/producer-cli serve --port " + port + " --rate " + rate + " " + file);
  }

  /** Every command under {@code line}, itself first, as {@code lab-cli run variance}. */
  private static void commands(CommandLine line, List<String> into) {
    into.add(line.getCommandSpec().qualifiedName());
    for (CommandLine sub : line.getSubcommands().values()) {
      if (!into.contains(sub.getCommandSpec().qualifiedName())) {
        commands(sub, into);
      }
    }
  }

  /** The tuple of {@code lines} lines '1 2 3 4 5 6', as the job and the sender print it. */
  private static String tupleOfLabLines(int lines) {
    Stats line = Stats.of(1, 2, 3, 4, 5, 6);
    Stats sent = Stats.empty();
    for (int i = 0; i < lines; i++) {
      sent = sent.plus(line);
    }
    return LabFormat.tuple(sent, Algorithm.STABLE);
  }

  private static String lastTuple(String out) {
    return out.lines().filter(line -> TUPLE.matcher(line).matches()).reduce((a, b) -> b).orElse("");
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  private static int sum(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    int sum = 0;
    while (matcher.find()) {
      sum += Integer.parseInt(matcher.group(1));
    }
    return sum;
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(line -> !line.isBlank()).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, Shell shell) throws Exception {
    long deadline = System.nanoTime() + ENDS.toNanos();
    while (!condition.getAsBoolean()) {
      if (!shell.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("waited in vain: " + shell.describe());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
