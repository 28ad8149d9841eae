package dev.streamlab.jobs;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named receivers of a job's reports, looked up when a report arrives.
 *
 * <p>A streaming job with a checkpoint serializes its output functions into the checkpoint; a
 * printer or a test's list cannot go there. The job holds only a sink's name; whoever runs it
 * registers the receiver under that name before starting, also after a recovery.
 */
public final class ReportSinks {

  private static final Map<String, Consumer<VarianceReport>> SINKS = new ConcurrentHashMap<>();

  private ReportSinks() {}

  /** Sends the reports of jobs that use {@code name} to {@code sink}. */
  public static void register(String name, Consumer<VarianceReport> sink) {
    SINKS.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(sink, "sink"));
  }

  /** Stops sending to the sink registered as {@code name}. */
  public static void unregister(String name) {
    SINKS.remove(name);
  }

  static void deliver(String name, VarianceReport report) {
    Consumer<VarianceReport> sink = SINKS.get(name);
    if (sink == null) {
      throw new IllegalStateException("no report sink registered as '" + name + "'");
    }
    sink.accept(report);
  }
}
