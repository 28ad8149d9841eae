package dev.streamlab.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.KafkaInput;
import dev.streamlab.jobs.ReportPrinter;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.VenueJobs;
import dev.streamlab.jobs.WindowCountReport;
import dev.streamlab.jobs.WindowCountReport.BatchCount;
import dev.streamlab.producer.DurationConverter;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.spark.streaming.api.java.JavaDStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab-cli run window-count}: lines and venues per batch and {@code countByWindow} over a
 * sliding window (the lab's step 6).
 */
@Command(
    name = "window-count",
    mixinStandardHelpOptions = true,
    defaultValueProvider = JobOptions.TenSecondBatch.class,
    description = {
      "Counts the lines and the Meetup venues of every batch, and with countByWindow those of a"
          + " sliding window, printed every slide with the batch counts the window adds up"
          + " (the lab's step 6). It keeps state, so it always checkpoints: to --checkpoint,"
          + " or to a temporary directory.",
      "Source: --dir, --socket or --kafka; without one it serves generated RSVPs on a local"
          + " socket, 4 a second. On --kafka the window's batch counts are kept with the offsets"
          + " they cover instead of in Spark's checkpoint, so a restart skips no record."
    })
final class RunWindowCountCommand extends LabJobCommand {

  @Option(
      names = "--window",
      defaultValue = "30s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Window length, a multiple of --batch. Default: ${DEFAULT-VALUE}.")
  Duration window;

  @Option(
      names = "--slide",
      defaultValue = "10s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How often to count and print, a multiple of --batch. Default: ${DEFAULT-VALUE}.")
  Duration slide;

  @Override
  Feed feed() {
    return Feed.RSVPS;
  }

  @Override
  boolean needsCheckpoint() {
    return true;
  }

  @Override
  void validate() {
    job.requireMultipleOfBatch(spec, "--window", window);
    job.requireMultipleOfBatch(spec, "--slide", slide);
  }

  @Override
  void build(JavaDStream<String> lines, String sink) {
    VenueJobs.windowCounts(lines, window, slide, sink);
  }

  @Override
  void build(KafkaInput input, String sink) {
    VenueJobs.windowCounts(input, job.batch(), window, slide, sink);
  }

  @Override
  void register(String sink, PrintWriter out) {
    ReportSinks.register(sink, WindowCountReport.class, report -> print(report, out));
  }

  private void print(WindowCountReport report, PrintWriter out) {
    List<BatchCount> batches = report.batches();
    BatchCount current =
        !batches.isEmpty() && batches.get(batches.size() - 1).timeMillis() == report.timeMillis()
            ? batches.get(batches.size() - 1)
            : new BatchCount(report.timeMillis(), 0, 0);
    if (format == LabFormat.TUPLE) {
      ReportPrinter.printHeader(out, report.timeMillis());
      out.println("batch: " + current.lines() + " lines, " + current.venues() + " venues");
      out.println(
          "window "
              + DurationConverter.format(window)
              + ": "
              + sum(report.lines(), "lines", batches, BatchCount::lines)
              + ", "
              + sum(report.venues(), "venues", batches, BatchCount::venues));
      out.println();
    } else {
      ObjectNode json = JSON.createObjectNode().put("time", jsonTime(report.timeMillis()));
      json.putObject("batch").put("lines", current.lines()).put("venues", current.venues());
      json.putObject("window")
          .put("seconds", window.toMillis() / 1000.0)
          .put("lines", report.lines())
          .put("venues", report.venues());
      ArrayNode covered = json.putArray("window_batches");
      for (BatchCount batch : batches) {
        covered
            .addObject()
            .put("time", jsonTime(batch.timeMillis()))
            .put("lines", batch.lines())
            .put("venues", batch.venues());
      }
      out.println(write(json));
    }
    out.flush();
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
