package dev.streamlab.jobs;

import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Tally;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Prints {@link VarianceReport}s as the lab does: in tuple form under a header like PySpark's
 * {@code pprint}, or one JSON object per line.
 *
 * <pre>
 * -------------------------------------------
 * Time: 2026-11-21 12:00:02
 * -------------------------------------------
 * ('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:', 2.9166666666666665)
 *
 * {"time":"2026-11-21T12:00:02Z","sum_x_square":182.0,"sum_x":42.0,"n":12,"var":2.9166666666666665,"rejected":0,"empty_records":0}
 * </pre>
 *
 * <p>Beside the statistics: {@code rejected}, the tokens that were not finite numbers; {@code
 * empty_records}, the records without a value or with an empty one; and, only once records were
 * lost, {@code lost_records}, those deleted from the topic before the job read them. In tuple mode
 * each is a line of its own under the tuple when it is not zero.
 */
public final class ReportPrinter {

  private static final String RULE = "-------------------------------------------";
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final PrintWriter out;
  private final LabFormat format;
  private final Algorithm algorithm;
  private final boolean showWindow;

  /** A printer to {@code out}; {@code showWindow} adds the statistics of the last window. */
  public ReportPrinter(PrintWriter out, LabFormat format, Algorithm algorithm, boolean showWindow) {
    this.out = out;
    this.format = format;
    this.algorithm = algorithm;
    this.showWindow = showWindow;
  }

  /** Prints one report. */
  public void print(VarianceReport report) {
    print(report, batchTitle(report.timeMillis()), false);
  }

  /**
   * Prints the header that PySpark's {@code pprint} prints before a batch: a rule, "Time: " and the
   * batch time in local time, a rule.
   */
  public static void printHeader(PrintWriter out, long batchTimeMillis) {
    printHeader(out, batchTitle(batchTimeMillis));
  }

  private static void printHeader(PrintWriter out, String title) {
    out.println(RULE);
    out.println(title);
    out.println(RULE);
  }

  private static String batchTitle(long timeMillis) {
    return "Time: " + LOCAL_TIME.format(Instant.ofEpochMilli(timeMillis));
  }

  /** Prints the last report as the final summary of a run. */
  public void printFinal(VarianceReport report, long batches) {
    print(report, "Final, after " + batches + " batches", true);
  }

  private void print(VarianceReport report, String title, boolean last) {
    Tally total = report.cumulative();
    if (format == LabFormat.TUPLE) {
      printHeader(out, title);
      out.println(LabFormat.tuple(total.stats(), algorithm));
      if (showWindow) {
        out.println("window: " + LabFormat.tuple(report.window().stats(), algorithm));
      }
      if (total.rejected() > 0) {
        out.println("rejected tokens: " + total.rejected());
      }
      if (total.emptyLines() > 0) {
        out.println("empty records (no value): " + total.emptyLines());
      }
      if (report.lostRecords() > 0) {
        out.println("lost records (deleted before they were read): " + report.lostRecords());
      }
      out.println();
    } else {
      StringBuilder json =
          new StringBuilder("{\"time\":\"")
              .append(Instant.ofEpochMilli(report.timeMillis()))
              .append("\",");
      LabFormat.appendJsonFields(json, total.stats(), total.rejected(), algorithm);
      json.append(",\"empty_records\":").append(total.emptyLines());
      if (report.lostRecords() > 0) {
        json.append(",\"lost_records\":").append(report.lostRecords());
      }
      if (showWindow) {
        json.append(",\"window\":{");
        Tally window = report.window();
        LabFormat.appendJsonFields(json, window.stats(), window.rejected(), algorithm)
            .append(",\"empty_records\":")
            .append(window.emptyLines())
            .append('}');
      }
      if (last) {
        json.append(",\"final\":true");
      }
      out.println(json.append('}'));
    }
    out.flush();
  }
}
