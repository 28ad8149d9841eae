package dev.streamlab.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.LinesReport;
import dev.streamlab.jobs.ReportPrinter;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.TextJobs;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * A lab job that turns lines into lines ({@code run uppercase}, {@code run long-words}), fed the
 * sample text by default; each batch with output is printed, under a header like PySpark's {@code
 * pprint} or as {@code {"time":…,"lines":[…]}}.
 */
abstract class TextJobCommand extends LabJobCommand {

  /** This job's pipeline. */
  abstract JavaDStream<String> pipeline(JavaDStream<String> lines);

  @Override
  Feed feed() {
    return Feed.SAMPLE_TEXT;
  }

  @Override
  void build(JavaDStream<String> lines, String sink) {
    TextJobs.deliver(pipeline(lines), sink);
  }

  @Override
  void register(String sink, PrintWriter out) {
    ReportSinks.register(
        sink,
        LinesReport.class,
        report -> {
          if (report.lines().isEmpty()) {
            return;
          }
          if (format == LabFormat.TUPLE) {
            ReportPrinter.printHeader(out, report.timeMillis());
            report.lines().forEach(out::println);
            out.println();
          } else {
            ObjectNode json = JSON.createObjectNode().put("time", jsonTime(report.timeMillis()));
            report.lines().forEach(json.putArray("lines")::add);
            out.println(write(json));
          }
          out.flush();
        });
  }
}
