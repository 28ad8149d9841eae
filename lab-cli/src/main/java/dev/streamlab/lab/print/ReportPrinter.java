package dev.streamlab.lab.print;

import java.util.function.Consumer;

/**
 * Prints a job's reports on standard output as {@code --format} says: {@code tuple}, each batch
 * under a header like PySpark's {@code pprint} ({@link BatchHeader}), or {@code json}, one object
 * per line ({@link LabJson}). One implementation per kind of report; a job's report sink hands it
 * each report.
 *
 * @param <R> the type of the reports
 */
public interface ReportPrinter<R> extends Consumer<R> {

  /** Prints {@code report}, or nothing when it has nothing to show. */
  @Override
  void accept(R report);

  /** Prints what comes after the last report of a run; by default nothing. */
  default void finish() {}
}
