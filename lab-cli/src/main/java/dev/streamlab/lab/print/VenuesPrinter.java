package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.VenueCounts;
import dev.streamlab.jobs.VenueReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;

/**
 * Prints each batch of the venues job: the venue objects, then the counts of RSVPs, of those with a
 * venue, and of lines skipped; or one JSON object with them. Keeps the totals of the run.
 */
public final class VenuesPrinter implements ReportPrinter<VenueReport> {

  private final PrintWriter out;
  private final LabFormat format;
  private VenueCounts total = VenueCounts.ZERO;
  private long batches;

  public VenuesPrinter(PrintWriter out, LabFormat format) {
    this.out = out;
    this.format = format;
  }

  @Override
  public synchronized void accept(VenueReport report) {
    batches++;
    total = total.plus(report.counts());
    VenueCounts counts = report.counts();
    if (format == LabFormat.TUPLE) {
      BatchHeader.printBatch(out, report.timeMillis());
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
          LabJson.at(report.timeMillis())
              .put("rsvps", counts.rsvps())
              .put("with_venue", counts.venues())
              .put("skipped", counts.skipped());
      ArrayNode venues = json.putArray("venues");
      for (String venue : report.venues()) {
        venues.add(LabJson.read(venue));
      }
      out.println(LabJson.write(json));
    }
    out.flush();
  }

  /** The counts of every batch printed so far. */
  public synchronized VenueCounts total() {
    return total;
  }

  /** How many batches were printed. */
  public synchronized long batches() {
    return batches;
  }
}
