package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.VenueCounts;
import dev.streamlab.jobs.VenueReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;

/**
 * Prints each batch of the venues job: the venue objects, then the counts of RSVPs, of those with a
 * venue, and of lines skipped; or one JSON object with them. Keeps the totals of the run, which its
 * watchers get beside each batch's counts ({@code "total"}).
 */
public final class VenuesPrinter extends ReportPrinter<VenueReport> {

  private VenueCounts total = VenueCounts.ZERO;
  private long batches;

  public VenuesPrinter(PrintWriter out, LabFormat format) {
    super(out, format);
  }

  @Override
  public synchronized void accept(VenueReport report) {
    batches++;
    total = total.plus(report.counts());
    VenueCounts counts = report.counts();
    ObjectNode json =
        LabJson.at(report.timeMillis())
            .put("rsvps", counts.rsvps())
            .put("with_venue", counts.venues())
            .put("skipped", counts.skipped());
    ArrayNode venues = json.putArray("venues");
    for (String venue : report.venues()) {
      venues.add(LabJson.read(venue));
    }
    ObjectNode shown = json.deepCopy();
    shown
        .putObject("total")
        .put("rsvps", total.rsvps())
        .put("with_venue", total.venues())
        .put("skipped", total.skipped());
    show(
        report.timeMillis(),
        out -> {
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
        },
        json,
        shown,
        Printed.Kind.BATCH);
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
