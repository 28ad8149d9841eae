package dev.streamlab.lab.print;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * Prints a job's reports on standard output as {@code --format} says: {@code tuple}, each batch
 * under a header like PySpark's {@code pprint}, or {@code json}, one object per line ({@link
 * LabJson}). One implementation per kind of report; a job's report sink hands it each report.
 *
 * @param <R> the type of the reports
 */
public interface ReportPrinter<R> extends Consumer<R> {

  /** Prints {@code report}, or nothing when it has nothing to show. */
  @Override
  void accept(R report);

  /** Prints what comes after the last report of a run; by default nothing. */
  default void finish() {}

  /**
   * Prints the header that PySpark's {@code pprint} prints before a batch: a rule, {@code title}, a
   * rule.
   */
  static void printHeader(PrintWriter out, String title) {
    String rule = "-------------------------------------------";
    out.println(rule);
    out.println(title);
    out.println(rule);
  }

  /** The title of the batch of {@code timeMillis}, as {@code pprint} gives it: in local time. */
  static String batchTitle(long timeMillis) {
    return "Time: "
        + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault())
            .format(Instant.ofEpochMilli(timeMillis));
  }
}
