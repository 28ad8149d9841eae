package dev.streamlab.jobs;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * Named receivers of a job's reports, looked up on the driver when a report arrives.
 *
 * <p>A streaming job with a checkpoint serializes its output functions into the checkpoint; a
 * printer or a test's list cannot go there. The job holds only a sink's name; whoever runs it
 * registers the receiver under that name before starting, also after a recovery.
 */
public final class ReportSinks {

  private static final Map<String, Consumer<Object>> SINKS = new ConcurrentHashMap<>();

  private ReportSinks() {}

  /** Sends the reports of type {@code type} of jobs that use {@code name} to {@code sink}. */
  public static <T> void register(String name, Class<T> type, Consumer<? super T> sink) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(sink, "sink");
    SINKS.put(Objects.requireNonNull(name, "name"), report -> sink.accept(type.cast(report)));
  }

  /** Stops sending to the sink registered as {@code name}. */
  public static void unregister(String name) {
    SINKS.remove(name);
  }

  /**
   * Sends every report of {@code reports}, batch by batch, to the sink registered as {@code name}.
   * The reports are collected to the driver: a report is small (a few per batch).
   */
  public static <T> void deliver(JavaDStream<T> reports, String name) {
    reports.foreachRDD(
        rdd -> {
          for (T report : rdd.collect()) {
            deliver(name, report);
          }
        });
  }

  static void deliver(String name, Object report) {
    Consumer<Object> sink = SINKS.get(name);
    if (sink == null) {
      throw new IllegalStateException("no report sink registered as '" + name + "'");
    }
    sink.accept(report);
  }
}
