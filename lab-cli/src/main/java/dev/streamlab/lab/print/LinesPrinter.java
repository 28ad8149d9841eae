package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.LinesReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;

/**
 * Prints each batch of a job that turns lines into lines ({@code uppercase}, {@code long-words})
 * that has any: under a header like PySpark's {@code pprint}, or as {@code {"time":…,"lines":[…]}}.
 */
public final class LinesPrinter implements ReportPrinter<LinesReport> {

  private final PrintWriter out;
  private final LabFormat format;

  public LinesPrinter(PrintWriter out, LabFormat format) {
    this.out = out;
    this.format = format;
  }

  @Override
  public void accept(LinesReport report) {
    if (report.lines().isEmpty()) {
      return;
    }
    if (format == LabFormat.TUPLE) {
      BatchHeader.printBatch(out, report.timeMillis());
      report.lines().forEach(out::println);
      out.println();
    } else {
      ObjectNode json = LabJson.at(report.timeMillis());
      report.lines().forEach(json.putArray("lines")::add);
      out.println(LabJson.write(json));
    }
    out.flush();
  }
}
