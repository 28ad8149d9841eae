package dev.streamlab.lab.cluster;

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
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A JVM of its own, started and stopped from this one: the brokers, Spark master, worker and driver
 * of {@code cluster variance}, and the commands the tests run as a user does. Its standard output
 * and standard error (where Spark and Kafka log) go to files, read while it runs; it stops with
 * SIGTERM, as an operator stops it, and is killed when it does not within the time given.
 */
public final class ChildJvm implements AutoCloseable {

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

  /** Whether {@code env --default-signal} (GNU coreutils) can give a child SIGINT back. */
  private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

  /** How to start one: what it runs and with which class path, JVM options and environment. */
  public record Spec(
      String name,
      String classPath,
      List<String> jvmOptions,
      Map<String, String> environment,
      String mainClass,
      List<String> args) {}

  /** This JVM's class path without test classes: what {@code bin/lab-cli} runs on. */
  public static String thisClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Starts {@code spec}, its output files in {@code logs}: {@code NAME.out} and {@code NAME.log}.
   */
  static ChildJvm start(Spec spec, Path logs) throws IOException {
    Files.createDirectories(logs);
    return start(spec, logs.resolve(spec.name() + ".out"), logs.resolve(spec.name() + ".log"));
  }

  /**
   * Starts {@code spec}, its standard output to {@code out} and its standard error to {@code log},
   * its standard input empty, SIGINT restored ({@link #withSigintRestored}).
   */
  public static ChildJvm start(Spec spec, Path out, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(spec.jvmOptions());
    command.addAll(List.of("-cp", spec.classPath(), spec.mainClass()));
    command.addAll(spec.args());
    ProcessBuilder builder =
        new ProcessBuilder(withSigintRestored(command))
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(spec.environment());
    return new ChildJvm(spec.name(), builder.start(), out, log);
  }

  /**
   * {@code command} preceded by {@code env --default-signal=INT} where that exists: a process
   * started in the background by a non-interactive shell ignores SIGINT, and so would every process
   * it starts, so that a Ctrl-C could not reach them.
   */
  public static List<String> withSigintRestored(List<String> command) {
    if (!ENV_RESETS_SIGNALS) {
      return command;
    }
    List<String> restored = new ArrayList<>(List.of("env", "--default-signal=INT"));
    restored.addAll(command);
    return restored;
  }

  /**
   * Whether a child started here receives SIGINT: unless this JVM ignores it and env cannot help.
   */
  public static boolean childrenReceiveSigint() throws IOException {
    return ENV_RESETS_SIGNALS || !ignoresSigint();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits up to {@code timeout} for it to end.
   *
   * @return its exit code, or empty when it still runs
   */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /** {@code kill -9}: the JVM dies at once, without running any of its code. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(); // SIGKILL on Unix
  }

  Path log() {
    return log;
  }

  /** Its standard output so far, line by line. */
  public List<String> outLines() {
    return read(out).lines().toList();
  }

  /** Its standard error so far, line by line. */
  public List<String> logLines() {
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
  public void terminate() {
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

  private static boolean ignoresSigint() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long ignored = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        return (ignored & (1L << (2 - 1))) != 0; // SIGINT is signal 2
      }
    }
    return false;
  }

  private static boolean envResetsSignals() {
    try {
      return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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
