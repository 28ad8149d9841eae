package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.LinesReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;

/**
 * Prints each batch of a job that turns lines into lines ({@code uppercase}, {@code long-words})
 * that has any: under a header like PySpark's {@code pprint}, or as {@code {"time":…,"lines":[…]}};
 * its watchers get the number of lines printed so far beside them ({@code "total_lines"}).
 */
public final class LinesPrinter extends ReportPrinter<LinesReport> {

  private long total;

  public LinesPrinter(PrintWriter out, LabFormat format) {
    super(out, format);
  }

  @Override
  public synchronized void accept(LinesReport report) {
    if (report.lines().isEmpty()) {
      return;
    }
    total += report.lines().size();
    ObjectNode json = LabJson.at(report.timeMillis());
    report.lines().forEach(json.putArray("lines")::add);
    show(
        report.timeMillis(),
        out -> {
          BatchHeader.printBatch(out, report.timeMillis());
          report.lines().forEach(out::println);
          out.println();
        },
        json,
        json.deepCopy().put("total_lines", total),
        Printed.Kind.BATCH);
  }
}
