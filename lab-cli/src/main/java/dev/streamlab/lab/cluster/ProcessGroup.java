package dev.streamlab.lab.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVMs {@code cluster variance} starts, each with its log, stopped together in an order that
 * lets each stop cleanly. Once stopping, nothing new starts (a Ctrl-C may come at any point).
 */
final class ProcessGroup {

  /** How long a JVM is given to stop after SIGTERM. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final List<ChildJvm> started = new ArrayList<>();
  private boolean stopping; // guarded by started: once set, nothing new starts

  /** Starts a JVM of 512 MB heap with Spark's module options, stopped with everything else. */
  ChildJvm start(
      Path logs,
      String name,
      String classPath,
      Map<String, String> environment,
      String mainClass,
      String... args)
      throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(List.of("-Xmx512m"));
    options.addAll(SparkDistribution.moduleOptions());
    ChildJvm jvm =
        ChildJvm.start(
            new ChildJvm.Spec(name, classPath, options, environment, mainClass, List.of(args)),
            logs);
    synchronized (started) {
      if (!stopping) {
        started.add(jvm);
        return jvm;
      }
    }
    jvm.stop(STOP_GRACE); // Ctrl-C came while it was starting
    throw new IllegalStateException("stopped");
  }

  /**
   * Stops everything started: the last one first (the driver, which stops gracefully only while its
   * executor and brokers are there), then all the others at once (brokers stopped one after the
   * other would each wait for a quorum that the ones before took away).
   */
  void stopAll() {
    List<ChildJvm> running;
    synchronized (started) {
      stopping = true;
      running = new ArrayList<>(started);
      started.clear();
    }
    try {
      if (!running.isEmpty()) {
        running.remove(running.size() - 1).stop(STOP_GRACE);
      }
      running.forEach(ChildJvm::terminate);
      for (ChildJvm jvm : running) {
        jvm.awaitEnd(STOP_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Removes {@code hook}, unless the JVM is shutting down after all. */
  static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down after all: the hook stops everything
    }
  }
}
