package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Prints a job's reports on standard output as {@code --format} says: {@code tuple}, each batch
 * under a header like PySpark's {@code pprint} ({@link BatchHeader}), or {@code json}, one object
 * per line ({@link LabJson}); and hands each one printed, in both forms ({@link Printed}), to its
 * watchers. One subclass per kind of report; a job's report sink hands it each report.
 *
 * <p>Thread-safe: Spark's job thread hands it the reports, the command's thread the end.
 *
 * @param <R> the type of the reports
 */
public abstract class ReportPrinter<R> implements Consumer<R> {

  private final PrintWriter out;
  private final LabFormat format;
  private final List<Consumer<Printed>> watchers = new CopyOnWriteArrayList<>();

  ReportPrinter(PrintWriter out, LabFormat format) {
    this.out = out;
    this.format = format;
  }

  /** Prints {@code report}, or nothing when it has nothing to show. */
  @Override
  public abstract void accept(R report);

  /** Prints what comes after the last report of a run; by default nothing. */
  public void finish() {}

  /** Hands every report printed from now on to {@code watcher} as well. */
  public final void watch(Consumer<Printed> watcher) {
    watchers.add(watcher);
  }

  /**
   * Prints one report, {@code text} or {@code json} as the format says, unless it is {@link
   * Printed.Kind#RESUMED}, and hands it to the watchers with {@code shown}, the object they get (by
   * default {@code json} itself).
   *
   * @param text writes the tuple form of the report
   */
  final synchronized void show(
      long timeMillis,
      Consumer<PrintWriter> text,
      ObjectNode json,
      ObjectNode shown,
      Printed.Kind kind) {
    boolean printed = kind != Printed.Kind.RESUMED;
    String tuple = null; // written only when printed or watched
    if ((printed && format == LabFormat.TUPLE) || !watchers.isEmpty()) {
      StringWriter written = new StringWriter();
      try (PrintWriter writer = new PrintWriter(written)) {
        text.accept(writer);
      }
      tuple = written.toString();
    }
    if (printed) {
      out.print(format == LabFormat.TUPLE ? tuple : LabJson.write(json) + System.lineSeparator());
      out.flush();
    }
    if (!watchers.isEmpty()) {
      Printed report = new Printed(timeMillis, tuple, shown, kind);
      watchers.forEach(watcher -> watcher.accept(report));
    }
  }

  /** {@link #show(long, Consumer, ObjectNode, ObjectNode, Printed.Kind)} of a batch's report. */
  final void show(long timeMillis, Consumer<PrintWriter> text, ObjectNode json) {
    show(timeMillis, text, json, json, Printed.Kind.BATCH);
  }
}
