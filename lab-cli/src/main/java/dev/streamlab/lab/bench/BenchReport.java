package dev.streamlab.lab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** What {@code bench variance} prints: a table or one JSON object per run ({@code --format}). */
final class BenchReport {

  /** The output formats of the bench. */
  enum Format {
    TEXT,
    JSON
  }

  private final PrintWriter out;
  private final Format format;
  private final Duration batch;
  private final int numbersPerLine;

  BenchReport(PrintWriter out, Format format, Duration batch, int numbersPerLine) {
    this.out = out;
    this.format = format;
    this.batch = batch;
    this.numbersPerLine = numbersPerLine;
  }

  /** The phases on one preloaded topic: limit, job and published, in that order. */
  void phases(List<PhaseResult> results, long lines, long warmupLines, int partitions) {
    PhaseResult limit = results.get(0);
    double jobToPublished = results.get(1).numbersPerSecond() / results.get(2).numbersPerSecond();
    if (format == Format.JSON) {
      ObjectNode json = LabJson.object();
      json.put("lines", lines).put("numbers_per_line", numbersPerLine);
      json.put("warmup_lines", warmupLines);
      json.put("partitions", partitions).put("batch_ms", batch.toMillis());
      for (PhaseResult result : results) {
        ObjectNode node = json.putObject(result.name());
        node.put("numbers_per_s", Math.round(result.numbersPerSecond()));
        node.put("records_per_s", Math.round(result.recordsPerSecond()));
        node.put("seconds", result.seconds());
        node.put("ratio_to_limit", result.numbersPerSecond() / limit.numbersPerSecond());
        node.put("n", result.sums().n());
        node.put("sum_x", result.sums().sumX());
        node.put("sum_x_square", result.sums().sumXSquare());
        node.put("peak_heap_mb", result.peakHeapMb());
        if (result.batches() != null) {
          node.put("batches", result.batches().count());
          node.put("max_processing_ms", result.batches().maxProcessingMillis());
          node.put("mean_processing_ms", result.batches().meanProcessingMillis());
          node.put("max_scheduling_delay_ms", result.batches().maxSchedulingDelayMillis());
        }
      }
      json.withObject("/job").put("ratio_to_published", jobToPublished);
      out.println(LabJson.write(json));
    } else {
      out.printf(
          "%-10s %13s %12s %9s %8s %8s %14s %10s%n",
          "",
          "numbers/s",
          "records/s",
          "vs limit",
          "seconds",
          "batches",
          "max batch ms",
          "peak heap");
      for (PhaseResult result : results) {
        BatchLog.Summary b = result.batches();
        out.printf(
            "%-10s %,13.0f %,12.0f %8.1f%% %8.2f %8s %14s %7d MB%n",
            result.name(),
            result.numbersPerSecond(),
            result.recordsPerSecond(),
            100 * result.numbersPerSecond() / limit.numbersPerSecond(),
            result.seconds(),
            b == null ? "-" : Long.toString(b.count()),
            b == null ? "-" : b.maxProcessingMillis() + " / " + batch.toMillis(),
            result.peakHeapMb());
      }
      out.printf("job / published: %.1f×%n", jobToPublished);
      for (PhaseResult result : results) {
        out.printf("%-10s n, Σx, Σx² = %s%n", result.name(), describe(result.sums()));
      }
    }
    out.flush();
  }

  /** One sustained run: a JSON object on one line, or a few lines of text. */
  void sustained(SustainedRateBench.Outcome outcome) {
    double rate = outcome.requestedLinesPerSecond();
    if (format == Format.JSON) {
      ObjectNode json = LabJson.object();
      json.put("rate_lines_per_s", rate).put("numbers_per_line", numbersPerLine);
      json.put("batch_ms", batch.toMillis()).put("seconds", outcome.secondsSending());
      ObjectNode node = json.putObject("job");
      node.put("lines_sent", outcome.linesSent());
      node.put("sent_lines_per_s", Math.round(outcome.sentLinesPerSecond()));
      node.put("n", outcome.counted().count());
      node.put("batches", outcome.batches().size());
      node.put("max_processing_ms", outcome.maxProcessingMillis());
      node.put("mean_processing_ms", outcome.meanProcessingMillis());
      node.put("max_scheduling_delay_ms", outcome.maxSchedulingDelayMillis());
      node.put("heap_first_half_mb", outcome.maxHeapMb(false));
      node.put("heap_second_half_mb", outcome.maxHeapMb(true));
      json.put("sustainable", outcome.sustainable());
      out.println(LabJson.write(json));
    } else {
      out.printf(
          "Sustained %,.0f lines/s (%,.0f numbers/s) for %.1f s on %s batches:%n",
          rate, rate * numbersPerLine, outcome.secondsSending(), DurationConverter.format(batch));
      out.printf(
          "  sent %,d lines (%,.0f/s); counted n = %,d of %,d%n",
          outcome.linesSent(),
          outcome.sentLinesPerSecond(),
          outcome.counted().count(),
          outcome.linesSent() * numbersPerLine);
      out.printf(
          "  %d batches: processing max %d ms, mean %d ms; scheduling delay max %d ms%n",
          outcome.batches().size(),
          outcome.maxProcessingMillis(),
          outcome.meanProcessingMillis(),
          outcome.maxSchedulingDelayMillis());
      out.printf(
          "  heap kept after collections: max %d MB in the first half, %d MB in the second%n",
          outcome.maxHeapMb(false), outcome.maxHeapMb(true));
      out.println(
          outcome.sustainable()
              ? "  sustainable: yes, the scheduling delay stayed below the batch interval"
              : "  sustainable: no, batches waited a whole interval or more (or the producer fell"
                  + " behind)");
    }
    out.flush();
  }

  /** The last line of several sustained runs, in text: the highest rate sustained. */
  void highestSustained(Double highest) {
    if (format == Format.TEXT) {
      out.println(
          highest == null
              ? "None of the rates tried was sustainable"
              : String.format(
                  "Highest sustainable rate of those tried: %,.0f lines/s (%,.0f numbers/s)",
                  highest, highest * numbersPerLine));
      out.flush();
    }
  }

  /** n, Σx, Σx² as the text output and the disagreement message give them. */
  static String describe(ExactSums sums) {
    return sums.n() + ", " + sums.sumX() + ", " + sums.sumXSquare();
  }
}
