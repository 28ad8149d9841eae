package dev.streamlab.lab.print;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The header that PySpark's {@code pprint} prints before a batch, which the tuple form copies. */
final class BatchHeader {

  private static final String RULE = "-------------------------------------------";
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private BatchHeader() {}

  /** Prints a rule, {@code title}, a rule. */
  static void print(PrintWriter out, String title) {
    out.println(RULE);
    out.println(title);
    out.println(RULE);
  }

  /** Prints the header of the batch of {@code timeMillis}: its time in local time. */
  static void printBatch(PrintWriter out, long timeMillis) {
    print(out, title(timeMillis));
  }

  /** "Time: 2026-11-21 12:00:02", the batch time in local time. */
  static String title(long timeMillis) {
    return "Time: " + LOCAL_TIME.format(Instant.ofEpochMilli(timeMillis));
  }
}
