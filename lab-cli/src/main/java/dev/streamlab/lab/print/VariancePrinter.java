package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.kafka.KafkaStall;
import dev.streamlab.jobs.kafka.PartitionLag;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Tally;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints the variance job's reports as the lab does: each due report (every slide) in tuple form
 * under a header like PySpark's {@code pprint}, or one JSON object per line; at the end, the last
 * report as the final summary.
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
 * lost, {@code lost_records}, those deleted from the topic before the job read them; and while a
 * partition stands still (an open transaction holds it, or it has no leader), {@code stalled}, one
 * object per partition ({@code partition}, {@code cause}, {@code offset}, {@code held_back}, {@code
 * seconds}). In tuple mode each is a line of its own under the tuple when it is not zero.
 *
 * <p>And, once Kafka answered, {@code lag}: how far behind the job is after the batch, {@code
 * records_behind} (what it could read and has not: the last stable offset less its next offset) and
 * {@code held_back} (what open transactions hold: the log's end less the last stable offset), in
 * total and per partition. In tuple mode a line when either is not zero, and always in the final
 * summary.
 */
public final class VariancePrinter extends ReportPrinter<VarianceReport> {

  private final Algorithm algorithm;
  private final boolean showWindow;
  private VarianceReport latest;
  private long batches;

  /** A printer to {@code out}; {@code showWindow} adds the statistics of the last window. */
  public VariancePrinter(
      PrintWriter out, LabFormat format, Algorithm algorithm, boolean showWindow) {
    super(out, format);
    this.algorithm = algorithm;
    this.showWindow = showWindow;
  }

  /**
   * Prints {@code report} when it is due; every report of this run counts for the final summary. A
   * {@link VarianceReport#resumed resumed} report, when it is due, goes to the watchers only.
   */
  @Override
  public synchronized void accept(VarianceReport report) {
    if (report.resumed()) {
      if (report.due()) {
        print(report, BatchHeader.title(report.timeMillis()), Printed.Kind.RESUMED);
      }
      return;
    }
    latest = report;
    batches++;
    if (report.due()) {
      print(report, BatchHeader.title(report.timeMillis()), Printed.Kind.BATCH);
    }
  }

  /** Prints the last report as the final summary of the run, if there was one. */
  @Override
  public synchronized void finish() {
    if (latest != null) {
      print(latest, "Final, after " + batches + " batches", Printed.Kind.FINAL);
    }
  }

  /** Prints {@code report}; its watchers get the last window's statistics, always. */
  private void print(VarianceReport report, String title, Printed.Kind kind) {
    boolean last = kind == Printed.Kind.FINAL;
    Tally total = report.cumulative();
    ObjectNode json = json(report, showWindow, last);
    show(
        report.timeMillis(),
        out -> {
          BatchHeader.print(out, title);
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
          for (KafkaStall stall : report.stalls()) {
            out.println("stalled: " + stall.describe(report.timeMillis()));
          }
          if (PartitionLag.behind(report.lag()) > 0 || PartitionLag.heldBack(report.lag()) > 0) {
            out.println("lag: " + describe(report.lag()));
          }
          out.println();
        },
        json,
        showWindow ? json : json(report, true, last),
        kind);
  }

  /** The report's object: the statistics, the counts beside them, the window if asked for. */
  private ObjectNode json(VarianceReport report, boolean withWindow, boolean last) {
    Tally total = report.cumulative();
    ObjectNode json =
        LabJson.putStats(
                LabJson.at(report.timeMillis()), total.stats(), total.rejected(), algorithm)
            .put("empty_records", total.emptyLines());
    if (report.lostRecords() > 0) {
      json.put("lost_records", report.lostRecords());
    }
    if (!report.stalls().isEmpty()) {
      ArrayNode stalled = json.putArray("stalled");
      for (KafkaStall stall : report.stalls()) {
        stalled
            .addObject()
            .put("partition", stall.name())
            .put("cause", stall.cause().name().toLowerCase(java.util.Locale.ROOT))
            .put("offset", stall.offset())
            .put("held_back", stall.heldBack())
            .put("seconds", Math.max(0, (report.timeMillis() - stall.sinceMillis()) / 1000));
      }
    }
    if (!report.lag().isEmpty()) {
      ObjectNode lag =
          json.putObject("lag")
              .put("records_behind", PartitionLag.behind(report.lag()))
              .put("held_back", PartitionLag.heldBack(report.lag()));
      ArrayNode partitions = lag.putArray("partitions");
      for (PartitionLag partition : report.lag()) {
        partitions
            .addObject()
            .put("partition", partition.name())
            .put("next_offset", partition.next())
            .put("last_stable_offset", partition.stable())
            .put("log_end_offset", partition.end())
            .put("records_behind", partition.behind())
            .put("held_back", partition.heldBack());
      }
    }
    if (withWindow) {
      Tally window = report.window();
      LabJson.putStats(json.putObject("window"), window.stats(), window.rejected(), algorithm)
          .put("empty_records", window.emptyLines());
    }
    if (last) {
      json.put("final", true);
    }
    return json;
  }

  /**
   * "12 records behind (variance-0 12, variance-1 0); 3 held back by open transactions (variance-1
   * 3)", the second part only when some are.
   */
  static String describe(List<PartitionLag> lag) {
    String text =
        PartitionLag.behind(lag)
            + " records behind ("
            + lag.stream().map(p -> p.name() + " " + p.behind()).collect(Collectors.joining(", "))
            + ")";
    if (PartitionLag.heldBack(lag) > 0) {
      text +=
          "; "
              + PartitionLag.heldBack(lag)
              + " held back by open transactions ("
              + lag.stream()
                  .filter(p -> p.heldBack() > 0)
                  .map(p -> p.name() + " " + p.heldBack())
                  .collect(Collectors.joining(", "))
              + ")";
    }
    return text;
  }
}
