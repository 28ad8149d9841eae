package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.WindowCountReport;
import dev.streamlab.jobs.WindowCountReport.BatchCount;
import dev.streamlab.producer.base.Durations;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Prints each slide of the window-count job: the current batch's lines and venues, and the
 * window's, with the batch counts they add up ("120 lines (40 + 39 + 41)"); or one JSON object with
 * them and the batches covered.
 */
public final class WindowCountPrinter extends ReportPrinter<WindowCountReport> {

  private final Duration window;

  public WindowCountPrinter(PrintWriter out, LabFormat format, Duration window) {
    super(out, format);
    this.window = window;
  }

  @Override
  public void accept(WindowCountReport report) {
    List<BatchCount> batches = report.batches();
    BatchCount current =
        !batches.isEmpty() && batches.get(batches.size() - 1).timeMillis() == report.timeMillis()
            ? batches.get(batches.size() - 1)
            : new BatchCount(report.timeMillis(), 0, 0);
    ObjectNode json = LabJson.at(report.timeMillis());
    json.putObject("batch").put("lines", current.lines()).put("venues", current.venues());
    json.putObject("window")
        .put("seconds", window.toMillis() / 1000.0)
        .put("lines", report.lines())
        .put("venues", report.venues());
    ArrayNode covered = json.putArray("window_batches");
    for (BatchCount batch : batches) {
      covered.add(
          LabJson.at(batch.timeMillis()).put("lines", batch.lines()).put("venues", batch.venues()));
    }
    show(
        report.timeMillis(),
        out -> {
          BatchHeader.printBatch(out, report.timeMillis());
          out.println("batch: " + current.lines() + " lines, " + current.venues() + " venues");
          out.println(
              "window "
                  + Durations.format(window)
                  + ": "
                  + sum(report.lines(), "lines", batches, BatchCount::lines)
                  + ", "
                  + sum(report.venues(), "venues", batches, BatchCount::venues));
          out.println();
        },
        json);
  }

  /** "120 lines (40 + 39 + 41)": the window's count and the batch counts it adds up. */
  private static String sum(
      long count, String what, List<BatchCount> batches, ToLongFunction<BatchCount> of) {
    String sum = count + " " + what;
    return batches.size() < 2
        ? sum
        : batches.stream()
            .map(batch -> Long.toString(of.applyAsLong(batch)))
            .collect(Collectors.joining(" + ", sum + " (", ")"));
  }
}
