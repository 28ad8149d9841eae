package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * Where a job's reports go: a receiver on the driver (a printer, a test's list), open until closed.
 *
 * <p>A job with a Spark checkpoint serializes its output functions into the checkpoint, and a
 * printer cannot go there. So a sink serializes as its name only, and a report is handed to the
 * receiver open under that name when it arrives. A job recovered from its checkpoint reports to the
 * sink open under the name it was created with: open the new sink under the same name (the job's
 * name does) before starting the job.
 *
 * <pre>{@code
 * try (ReportSink<VarianceReport> sink =
 *     ReportSink.open("variance", VarianceReport.class, printer::print)) {
 *   JavaStreamingContext context = VarianceJob.getOrCreate(settings, sink).streaming();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: reports are delivered on the driver's job threads.
 *
 * @param <T> the type of the reports
 */
public final class ReportSink<T> implements Serializable, AutoCloseable {

  private static final long serialVersionUID = 1L;

  /** The receivers of the sinks open in this JVM, by name. */
  private static final Map<String, Consumer<Object>> OPEN = new ConcurrentHashMap<>();

  private final String name;
  private final Class<T> type;

  private ReportSink(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Opens the sink {@code name}, handing every report of type {@code type} to {@code receiver}.
   *
   * @throws IllegalStateException when a sink of that name is open already
   */
  public static <T> ReportSink<T> open(String name, Class<T> type, Consumer<? super T> receiver) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(receiver, "receiver");
    Consumer<Object> typed = report -> receiver.accept(type.cast(report));
    if (OPEN.putIfAbsent(name, typed) != null) {
      throw new IllegalStateException("a report sink named '" + name + "' is open already");
    }
    return new ReportSink<>(name, type);
  }

  /** The name this sink is open under. */
  public String name() {
    return name;
  }

  /**
   * Hands {@code report} to the receiver open under this sink's name; on the driver.
   *
   * @throws IllegalStateException when no sink is open under this name
   */
  public void deliver(T report) {
    Consumer<Object> receiver = OPEN.get(name);
    if (receiver == null) {
      throw new IllegalStateException("no report sink open as '" + name + "'");
    }
    receiver.accept(report); // the receiver casts: a report of another type fails there
  }

  /**
   * Delivers every report of {@code reports}, batch by batch. The reports are collected to the
   * driver: a report is small (a few per batch).
   */
  public void deliverEach(JavaDStream<T> reports) {
    reports.foreachRDD(
        rdd -> {
          for (T report : rdd.collect()) {
            deliver(report);
          }
        });
  }

  /** Closes the sink: reports to its name fail from now on, and the name may be opened again. */
  @Override
  public void close() {
    OPEN.remove(name);
  }

  @Override
  public String toString() {
    return "ReportSink[" + name + ", " + type.getSimpleName() + "]";
  }
}
