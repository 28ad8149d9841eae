package dev.streamlab.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.ReportPrinter;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.VenueCounts;
import dev.streamlab.jobs.VenueJobs;
import dev.streamlab.jobs.VenueReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.streaming.api.java.JavaDStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lab-cli run venues}: the venues of a stream of Meetup RSVPs, printed, counted and saved
 * (the lab's submission 2).
 */
@Command(
    name = "venues",
    mixinStandardHelpOptions = true,
    defaultValueProvider = JobOptions.TenSecondBatch.class,
    description = {
      "Parses every line as a Meetup RSVP (JSON) and prints, batch by batch, the venue object of"
          + " those that have one, then the number of RSVPs, of those with a venue, and of lines"
          + " skipped because they are not JSON objects (HTTP headers, say). --save also writes"
          + " the venues as text files (the lab's submission 2).",
      "Source: --dir, --socket or --kafka; without one it serves generated RSVPs on a local"
          + " socket, 4 a second, after the HTTP header that 'curl -i' printed."
    })
final class RunVenuesCommand extends LabJobCommand {

  @Option(
      names = "--save",
      paramLabel = "PREFIX",
      description =
          "Also save each batch's venues, one JSON object per line, in the directory"
              + " PREFIX-<batch time in ms> (saveAsTextFiles; a path or a Hadoop URI).")
  String savePrefix;

  private final AtomicReference<VenueCounts> total = new AtomicReference<>(VenueCounts.ZERO);
  private final AtomicLong batches = new AtomicLong();

  @Override
  Feed feed() {
    return Feed.RSVPS;
  }

  @Override
  void build(JavaDStream<String> lines, String sink) {
    VenueJobs.venues(lines, sink, savePrefix);
  }

  @Override
  void register(String sink, PrintWriter out) {
    ReportSinks.register(
        sink,
        VenueReport.class,
        report -> {
          batches.incrementAndGet();
          total.accumulateAndGet(report.counts(), VenueCounts::plus);
          print(report, out);
        });
  }

  private void print(VenueReport report, PrintWriter out) {
    VenueCounts counts = report.counts();
    if (format == LabFormat.TUPLE) {
      ReportPrinter.printHeader(out, report.timeMillis());
      report.venues().forEach(out::println);
      out.println(
          "rsvps: "
              + counts.rsvps()
              + ", with venue: "
              + counts.venues()
              + ", skipped: "
              + counts.skipped());
      out.println();
    } else {
      ObjectNode json =
          JSON.createObjectNode()
              .put("time", jsonTime(report.timeMillis()))
              .put("rsvps", counts.rsvps())
              .put("with_venue", counts.venues())
              .put("skipped", counts.skipped());
      ArrayNode venues = json.putArray("venues");
      try {
        for (String venue : report.venues()) {
          venues.add(JSON.readTree(venue));
        }
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      out.println(write(json));
    }
    out.flush();
  }

  @Override
  String summary() {
    VenueCounts counts = total.get();
    return "Stopped after "
        + batches.get()
        + " batches: "
        + counts.rsvps()
        + " RSVPs, "
        + counts.venues()
        + " with a venue, "
        + counts.skipped()
        + (counts.skipped() == 1 ? " line" : " lines")
        + " skipped"
        + (savePrefix != null ? "; venues saved in " + savePrefix + "-<batch time in ms>" : "");
  }
}
