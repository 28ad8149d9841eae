package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's transcripts (and those of {@code docs/*.md}), run as a user runs them: each command
 * through bash from the repository's root, with {@code bin/lab-cli} and {@code bin/producer-cli} as
 * they are, its output compared with what the documentation shows ({@link Transcript} and {@link
 * ExpectedOutput} say how). A documented output that the program no longer prints, or the reverse,
 * fails here. A block marked not run names the tests that cover it instead, and they must exist.
 */
class ReadmeTranscriptsIT {

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dir; // one for all the transcripts: each has its own directories in it

  @TestFactory
  Stream<DynamicTest> everyTranscriptRunsAndPrintsWhatItShows() throws IOException {
    return transcripts().stream()
        .filter(transcript -> transcript.notRun().isEmpty())
        .map(
            transcript ->
                DynamicTest.dynamicTest(
                    transcript.where() + " $ " + transcript.steps().get(0).command(),
                    () -> run(transcript)));
  }

  @Test
  void everyTranscriptNotRunNamesTestsThatExistAndRun() throws IOException {
    List<Transcript> notRun =
        transcripts().stream().filter(transcript -> transcript.notRun().isPresent()).toList();
    assertThat(notRun).isNotEmpty();
    for (Transcript transcript : notRun) {
      for (String test : transcript.coveredBy()) {
        String[] classAndMethod = test.split("#");
        String where = transcript.where() + ": " + test;
        assertThat(classAndMethod[0]).as(where).matches(".+(Test|IT)");
        Class<?> type;
        try {
          type =
              Class.forName(ReadmeTranscriptsIT.class.getPackageName() + "." + classAndMethod[0]);
        } catch (ClassNotFoundException e) {
          throw new AssertionError(where + ": no such test class", e);
        }
        assertThat(type.isAnnotationPresent(Disabled.class)).as(where + " is disabled").isFalse();
        List<Method> methods =
            Arrays.stream(type.getDeclaredMethods())
                .filter(method -> method.getName().equals(classAndMethod[1]))
                .toList();
        assertThat(methods).as(where + ": no such method").hasSize(1);
        Method method = methods.get(0);
        assertThat(method.isAnnotationPresent(Test.class)).as(where + " is not a @Test").isTrue();
        assertThat(method.isAnnotationPresent(Disabled.class)).as(where + " is disabled").isFalse();
      }
    }
  }

  @Test
  void everyCommandLineOfTheDocumentationIsInATranscript() throws IOException {
    // A '$ ' line that no transcript holds (a fence the parser does not know, a command outside a
    // block) would be a shown command that nothing runs.
    long shown = 0;
    for (Path file : documentation()) {
      shown +=
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .filter(line -> line.stripLeading().startsWith("$ "))
              .count();
    }
    List<Transcript> all = transcripts();
    assertThat(all.stream().mapToLong(transcript -> transcript.steps().size()).sum())
        .isEqualTo(shown);
    assertThat(all).filteredOn(transcript -> transcript.notRun().isEmpty()).hasSizeGreaterThan(3);
  }

  /** README.md and docs/*.md. */
  private static List<Path> documentation() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Shell.ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(Shell.ROOT.resolve("docs"))) {
      docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** The transcripts of README.md and docs/*.md, in order. */
  static List<Transcript> transcripts() throws IOException {
    List<Transcript> transcripts = new ArrayList<>();
    for (Path file : documentation()) {
      transcripts.addAll(
          Transcript.parse(
              Shell.ROOT.relativize(file).toString(),
              Files.readAllLines(file, StandardCharsets.UTF_8)));
    }
    return transcripts;
  }

  private void run(Transcript transcript) throws Exception {
    Shell.prepareLaunchers(dir.resolve("prepare"));
    if (transcript.broker().isEmpty()) {
      for (Transcript.Step step : transcript.steps()) {
        run(transcript, step, null);
      }
      return;
    }
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            "127.0.0.1", 0, dir.resolve("kafka-" + transcript.file() + "-" + transcript.line()))) {
      for (Transcript.Step step : transcript.steps()) {
        run(transcript, step, broker.bootstrapServers());
      }
    }
  }

  private void run(Transcript transcript, Transcript.Step step, String brokerAddress)
      throws Exception {
    String shown = transcript.broker().orElse(null);
    String command = shown == null ? step.command() : step.command().replace(shown, brokerAddress);
    ExpectedOutput expected =
        shown == null
            ? step.output()
            : new ExpectedOutput(
                step.output().lines().stream()
                    .map(line -> line.replace(shown, brokerAddress))
                    .toList());
    String where = transcript.file() + ":" + step.line() + " $ " + step.command();
    try (Shell shell = Shell.startMerged(dir.resolve("step-" + step.line()), command)) {
      long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
      boolean interrupted = false;
      while (shell.isAlive()) {
        if (!interrupted
            && step.interruptAfter() >= 0
            && expected.startMatches(complete(shell.out()), step.interruptAfter())) {
          shell.interrupt();
          interrupted = true;
        }
        if (System.nanoTime() > deadline) {
          fail(
              "%s: still running after %s%s; its output so far:%n%s%n--- the README shows:%n%s",
              where,
              STEP_TIMEOUT,
              step.interruptAfter() >= 0 && !interrupted
                  ? " (the output before its ^C never came)"
                  : "",
              shell.out(),
              expected);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      int exitCode = shell.awaitExit(Duration.ZERO);
      List<String> actual = shell.out().lines().toList();
      if (!expected.matches(actual) || exitCode != step.exitCode()) {
        fail(
            "%s: the output differs from the README's%n--- the README shows (exit code %d):%n%s%n"
                + "--- the command printed (exit code %d):%n%s",
            where, step.exitCode(), expected, exitCode, String.join("\n", actual));
      }
    }
  }

  /** The complete lines of {@code output}: a line still being written is left out. */
  private static List<String> complete(String output) {
    int end = output.lastIndexOf('\n');
    return end < 0 ? List.of() : output.substring(0, end).lines().toList();
  }
}
