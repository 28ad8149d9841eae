package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.lab.cluster.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command line run as a user runs it in a terminal: by bash, from the repository's root, through
 * {@code bin/lab-cli} and {@code bin/producer-cli} as they are, after the build that {@code mvn
 * verify} made. It runs in a process group of its own, so that {@link #close} stops every process
 * of the command (a pipeline too) and nothing it started outlives the test, even when the test's
 * JVM is stopped.
 *
 * <p>The launchers run with {@code STREAMLAB_NO_BUILD=1}: a missing or stale build fails the
 * command rather than starting a Maven build inside the test, and with a modest heap ({@code
 * JAVA_OPTS=-Xmx768m}).
 */
final class Shell implements AutoCloseable {

  /** The repository's root: the tests of lab-cli run in {@code lab-cli/}. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static boolean launchersPrepared;

  /**
   * The process groups still running: killed when this JVM ends (a Ctrl-C of the build, a fork that
   * times out), since setsid keeps a terminal's Ctrl-C from reaching them.
   */
  private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (long group : RUNNING) {
                    try {
                      signalGroup(group, "KILL");
                    } catch (IOException e) {
                      // nothing more to do while the JVM ends
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                },
                "kill-started-commands"));
  }

  private final Process process;
  private final String commandLine;
  private final Path out;
  private final Path err; // null when merged into out
  private int consumed; // lines of standard output that awaitLine has gone past

  private Shell(Process process, String commandLine, Path out, Path err) {
    this.process = process;
    this.commandLine = commandLine;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code commandLine}, its standard output and standard error in files of their own under
   * {@code logs}, its standard input empty.
   */
  static Shell start(Path logs, String commandLine) throws IOException {
    return start(logs, commandLine, false, Map.of());
  }

  /**
   * {@link #start(Path, String)} with {@code environment} added to the command's: what a user
   * exports beforehand, which no {@code ps} line shows, unlike a variable set on the command line.
   */
  static Shell start(Path logs, String commandLine, Map<String, String> environment)
      throws IOException {
    return start(logs, commandLine, false, environment);
  }

  /**
   * Starts {@code commandLine} with standard error merged into standard output, in the order they
   * were written, as a terminal shows them.
   */
  static Shell startMerged(Path logs, String commandLine) throws IOException {
    return start(logs, commandLine, true, Map.of());
  }

  private static Shell start(
      Path logs, String commandLine, boolean merged, Map<String, String> environment)
      throws IOException {
    Files.createDirectories(logs);
    int run = 1;
    while (Files.exists(logs.resolve("command-" + run + ".out"))) {
      run++;
    }
    Path out = logs.resolve("command-" + run + ".out");
    Path err = merged ? null : logs.resolve("command-" + run + ".err");
    Files.writeString(logs.resolve("command-" + run + ".sh"), commandLine + "\n");
    ProcessBuilder builder =
        new ProcessBuilder(
                ChildJvm.withSigintRestored(List.of("setsid", "bash", "-c", commandLine)))
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (merged) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(err.toFile());
    }
    builder.environment().put("STREAMLAB_NO_BUILD", "1");
    builder.environment().put("JAVA_OPTS", "-Xmx768m");
    builder.environment().putAll(environment);
    Shell shell = new Shell(builder.start(), commandLine, out, err);
    RUNNING.add(shell.process.pid());
    return shell;
  }

  /**
   * Runs {@code bin/lab-cli --version} and {@code bin/producer-cli --version} once in this JVM, so
   * that the one-off work of the first launch after a build (lab-cli records its class-data
   * archive, saying so on standard error) is done before the output of a launch is compared.
   */
  static synchronized void prepareLaunchers(Path logs) throws Exception {
    if (launchersPrepared) {
      return;
    }
    for (String launcher : List.of("bin/lab-cli", "bin/producer-cli")) {
      try (Shell version = start(logs, launcher + " --version")) {
        assertThat(version.awaitExit(Duration.ofMinutes(3))).as(version.describe()).isZero();
      }
    }
    launchersPrepared = true;
  }

  /** Standard output so far (with standard error, when merged), line by line. */
  List<String> outLines() {
    return read(out).lines().toList();
  }

  /** Standard output so far, as written. */
  String out() {
    return read(out);
  }

  /** Standard error so far (empty when merged into standard output). */
  String err() {
    return err == null ? "" : read(err);
  }

  /** The command and what it printed so far, for an assertion's message. */
  String describe() {
    return "'"
        + commandLine
        + "'\n--- standard output:\n"
        + out()
        + "--- standard error:\n"
        + err();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until a line of standard output that comes after the one the last call returned matches,
   * and returns it.
   *
   * @throws AssertionError when the command ends first or {@code timeout} passes
   */
  String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = consumed;
    while (System.nanoTime() < deadline) {
      boolean ended = !process.isAlive(); // read after: no line written before the end is missed
      List<String> lines = outLines();
      for (; seen < lines.size(); seen++) {
        if (matches.test(lines.get(seen))) {
          consumed = seen + 1;
          return lines.get(seen);
        }
      }
      if (ended) {
        throw new AssertionError("ended (exit " + process.exitValue() + ") first: " + describe());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no such line in " + timeout + ": " + describe());
  }

  /**
   * {@code kill PID} from another terminal: SIGTERM to the command's own process only (bash execs a
   * single command and the launcher execs java, so that is the JVM), not to the processes it
   * started.
   */
  void terminate() {
    process.destroy();
  }

  /**
   * Ctrl-C, to the command's JVMs: SIGINT to every {@code java} process of its group (those the
   * launchers exec), of a pipeline too. A terminal sends it to the whole group, their children
   * included; without Hadoop's native library a job forks {@code chmod} for each file it saves or
   * checkpoints, and a Ctrl-C that reaches one fails the batch being saved, so the tests leave the
   * children alone.
   */
  void interrupt() throws IOException, InterruptedException {
    new ProcessBuilder("pkill", "-INT", "-g", Long.toString(process.pid()), "-x", "java")
        .start()
        .waitFor();
  }

  /**
   * Waits for the command to end and returns its exit code.
   *
   * @throws AssertionError when it still runs after {@code timeout}
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still runs after " + timeout + ": " + describe());
    }
    return process.exitValue();
  }

  /**
   * Kills every process of the command that still runs, the shell's children too when the shell
   * itself has ended.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    signalGroup(process.pid(), "KILL");
    process.waitFor(30, TimeUnit.SECONDS);
    RUNNING.remove(process.pid());
  }

  // setsid made the shell the leader of a new process group: its id is the shell's pid. A group
  // with no process left is not an error here (kill says so on its standard error, discarded).
  private static void signalGroup(long group, String signal)
      throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, "--", "-" + group)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
