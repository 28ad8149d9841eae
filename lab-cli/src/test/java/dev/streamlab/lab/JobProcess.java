package dev.streamlab.lab;

import dev.streamlab.lab.cluster.ChildJvm;
import dev.streamlab.producer.ProducerCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code lab-cli} (or {@code producer-cli}) command in a JVM of its own, as {@code bin/lab-cli}
 * starts it: the main class on this build's class path (without the test classes, so the commands'
 * own logging configuration applies) and the JVM flags the build wrote. Standard output and error
 * go to files that the test reads while the process runs; signals are real ({@code kill}). It is a
 * {@link ChildJvm}, as every JVM this project starts.
 */
final class JobProcess implements AutoCloseable {

  private final ChildJvm jvm;
  private final Path err;
  private final String name;
  private int consumed; // lines of standard output that awaitLine has gone past

  private JobProcess(ChildJvm jvm, Path err, String name) {
    this.jvm = jvm;
    this.err = err;
    this.name = name;
  }

  /** Starts {@code lab-cli ARGS…}, its files and temporary files under {@code dir}. */
  /**
   * The JVM flags Spark needs, as the build wrote them for the launchers, in the build directory of
   * the Spark line under test ({@code target}, or {@code target/spark-4.2_2.13}).
   */
  static List<String> sparkJvmFlags() throws IOException {
    Path flags = Path.of(System.getProperty("build.directory", "target"), "jvm-flags.txt");
    return Arrays.asList(Files.readString(flags).trim().split("\\s+"));
  }

  static JobProcess labCli(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), LabCli.class.getName(), args);
  }

  /** As {@link #labCli(Path, String...)}, with {@code environment} added to this one's. */
  static JobProcess labCli(Path dir, Map<String, String> environment, String... args)
      throws IOException {
    return start(dir, environment, LabCli.class.getName(), args);
  }

  /** Starts {@code producer-cli ARGS…}, its files and temporary files under {@code dir}. */
  static JobProcess producerCli(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), ProducerCli.class.getName(), args);
  }

  private static JobProcess start(
      Path dir, Map<String, String> environment, String mainClass, String... args)
      throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createDirectories(dir.resolve("tmp")); // Spark's scratch, left by a kill -9
    List<String> options = new ArrayList<>(List.of("-Xmx768m", "-Djava.io.tmpdir=" + tmp));
    options.addAll(sparkJvmFlags());
    int run = 1;
    while (Files.exists(dir.resolve("out-" + run + ".txt"))) {
      run++;
    }
    Path out = dir.resolve("out-" + run + ".txt");
    Path err = dir.resolve("err-" + run + ".txt");
    String name = String.join(" ", args);
    ChildJvm jvm =
        ChildJvm.start(
            new ChildJvm.Spec(
                name, ChildJvm.thisClassPath(), options, environment, mainClass, List.of(args)),
            out,
            err);
    return new JobProcess(jvm, err, name);
  }

  /** Whether SIGINT reaches the process: it does unless this JVM ignores it and env cannot help. */
  static boolean receivesSigint() throws IOException {
    return ChildJvm.childrenReceiveSigint();
  }

  long pid() {
    return jvm.pid();
  }

  boolean isAlive() {
    return jvm.isAlive();
  }

  /** Standard output so far, line by line. */
  List<String> outLines() {
    return jvm.outLines();
  }

  /** Standard error so far. */
  String err() {
    try {
      return Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until a line of standard output that comes after the one the last call returned matches,
   * and returns it.
   *
   * @throws AssertionError when the process ends first or {@code timeout} passes
   */
  String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = consumed;
    while (System.nanoTime() < deadline) {
      List<String> lines = outLines();
      for (; seen < lines.size(); seen++) {
        if (matches.test(lines.get(seen))) {
          consumed = seen + 1;
          return lines.get(seen);
        }
      }
      if (!jvm.isAlive() && seen == outLines().size()) {
        throw new AssertionError(
            "'"
                + name
                + "' ended (exit "
                + jvm.awaitExit(Duration.ZERO).orElse(-1)
                + ") first; stderr:\n"
                + err());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError(
        "no such line from '" + name + "' in " + timeout + "; stderr:\n" + err());
  }

  /**
   * Waits until standard error contains {@code text}.
   *
   * @throws AssertionError when the process ends first or {@code timeout} passes
   */
  void awaitErr(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!err().contains(text)) {
      if (System.nanoTime() > deadline || !jvm.isAlive()) {
        throw new AssertionError("no '" + text + "' from '" + name + "'; stderr:\n" + err());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Sends {@code signal} (TERM, INT, KILL) to the process. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
    }
  }

  /** {@code kill -9}: the JVM dies at once, without running any of its code. */
  void kill() throws InterruptedException {
    jvm.kill();
  }

  /**
   * Waits for the process to end and returns its exit code.
   *
   * @throws AssertionError when it is still running after {@code timeout}
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    return jvm.awaitExit(timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    "'" + name + "' still runs after " + timeout + "; stderr:\n" + err()));
  }

  @Override
  public void close() {
    if (jvm.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the process is killed; only the wait was cut short
      }
    }
  }
}
