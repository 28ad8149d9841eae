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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code lab-cli} (or {@code producer-cli}) command in a JVM of its own, as {@code bin/lab-cli}
 * starts it: the main class on this build's class path (without the test classes, so the commands'
 * own logging configuration applies) and the JVM flags the build wrote. Standard output and error
 * go to files that the test reads while the process runs; signals are real ({@code kill}).
 *
 * <p>A JVM started in the background by a non-interactive shell ignores SIGINT, and so would every
 * process it starts; the child gets SIGINT back through {@code env --default-signal} (GNU
 * coreutils) where that exists.
 */
final class JobProcess implements AutoCloseable {

  private static final Boolean ENV_RESETS_SIGNALS = envResetsSignals();

  private final Process process;
  private final Path out;
  private final Path err;
  private final String name;
  private int consumed; // lines of standard output that awaitLine has gone past

  private JobProcess(Process process, Path out, Path err, String name) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.name = name;
  }

  /** Starts {@code lab-cli ARGS…}, its files and temporary files under {@code dir}. */
  static JobProcess labCli(Path dir, String... args) throws IOException {
    return start(dir, "dev.streamlab.lab.LabCli", args);
  }

  /** Starts {@code producer-cli ARGS…}, its files and temporary files under {@code dir}. */
  static JobProcess producerCli(Path dir, String... args) throws IOException {
    return start(dir, "dev.streamlab.producer.ProducerCli", args);
  }

  private static JobProcess start(Path dir, String mainClass, String... args) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createDirectories(dir.resolve("tmp")); // Spark's scratch, left by a kill -9
    List<String> command = new ArrayList<>();
    if (ENV_RESETS_SIGNALS) {
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(
        Arrays.asList(Files.readString(Path.of("target/jvm-flags.txt")).trim().split("\\s+")));
    command.addAll(List.of("-cp", ChildJvm.thisClassPath(), mainClass));
    command.addAll(Arrays.asList(args));
    int run = 1;
    while (Files.exists(dir.resolve("out-" + run + ".txt"))) {
      run++;
    }
    Path out = dir.resolve("out-" + run + ".txt");
    Path err = dir.resolve("err-" + run + ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    return new JobProcess(process, out, err, String.join(" ", args));
  }

  /** Whether SIGINT reaches the process: it does unless this JVM ignores it and env cannot help. */
  static boolean receivesSigint() throws IOException {
    return ENV_RESETS_SIGNALS || !ignoresSigint();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Standard output so far, line by line. */
  List<String> outLines() {
    return read(out).lines().toList();
  }

  /** Standard error so far. */
  String err() {
    return read(err);
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
      if (!process.isAlive() && seen == outLines().size()) {
        throw new AssertionError(
            "'" + name + "' ended (exit " + process.exitValue() + ") first; stderr:\n" + err());
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
      if (System.nanoTime() > deadline || !process.isAlive()) {
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
    process.destroyForcibly().waitFor(); // SIGKILL on Unix
  }

  /**
   * Waits for the process to end and returns its exit code.
   *
   * @throws AssertionError when it is still running after {@code timeout}
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "'" + name + "' still runs after " + timeout + "; stderr:\n" + err());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the process is killed; only the wait was cut short
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
}
