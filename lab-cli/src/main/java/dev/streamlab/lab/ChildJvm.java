package dev.streamlab.lab;

import java.io.File;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A JVM that a command starts and stops: a Kafka broker, a Spark master or worker, a driver. Its
 * standard output goes to {@code NAME.out} and its standard error (where Spark and Kafka log) to
 * {@code NAME.log}, both read while it runs; it stops with SIGTERM, as an operator stops it, and is
 * killed when it does not within the time given.
 */
final class ChildJvm implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path out;
  private final Path log;

  private ChildJvm(String name, Process process, Path out, Path log) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.log = log;
  }

  /** How to start one: what it runs and with which class path, JVM options and environment. */
  record Spec(
      String name,
      String classPath,
      List<String> jvmOptions,
      Map<String, String> environment,
      String mainClass,
      List<String> args) {}

  /** This JVM's class path without test classes: what {@code bin/lab-cli} runs on. */
  static String thisClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Starts {@code spec}, its output files in {@code logs}. */
  static ChildJvm start(Spec spec, Path logs) throws IOException {
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(spec.jvmOptions());
    command.addAll(List.of("-cp", spec.classPath(), spec.mainClass()));
    command.addAll(spec.args());
    Path out = logs.resolve(spec.name() + ".out");
    Path log = logs.resolve(spec.name() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(spec.environment());
    return new ChildJvm(spec.name(), builder.start(), out, log);
  }

  Path log() {
    return log;
  }

  /** Its standard output so far, line by line. */
  List<String> outLines() {
    return read(out).lines().toList();
  }

  /** Its standard error so far, line by line. */
  List<String> logLines() {
    return read(log).lines().toList();
  }

  /**
   * Waits until a line of its standard output ({@code inLog}: standard error) matches, and returns
   * it.
   *
   * @throws IllegalStateException when it ends first or {@code timeout} passes, naming its log
   */
  String await(String what, boolean inLog, Predicate<String> matches, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> line =
          (inLog ? logLines() : outLines()).stream().filter(matches).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " ended (exit " + process.exitValue() + ") before " + what + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + ": no " + what + " after " + timeout.toSeconds() + " s; see " + log);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Asks it to stop: SIGTERM, as an operator stops it. */
  void terminate() {
    process.destroy();
  }

  /**
   * Waits up to {@code grace} for it to end, then kills it.
   *
   * @return its exit code; that of SIGKILL (137) when it had to be killed
   */
  int awaitEnd(Duration grace) throws InterruptedException {
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  /** {@link #terminate} and {@link #awaitEnd}. */
  int stop(Duration grace) throws InterruptedException {
    terminate();
    return awaitEnd(grace);
  }

  /** Kills it when it still runs: nothing this command started outlives it. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stop(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
