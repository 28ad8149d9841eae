package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.VenueCounts;
import dev.streamlab.jobs.VenueReport;
import dev.streamlab.jobs.VenuesJob;
import dev.streamlab.lab.print.VenuesPrinter;
import java.io.PrintWriter;
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

  private VenuesPrinter printer;

  @Override
  Feed feed() {
    return Feed.RSVPS;
  }

  @Override
  JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out) {
    printer = new VenuesPrinter(out, format);
    return VenuesJob.getOrCreate(
        VenuesJob.Settings.of(settings).savingTo(savePrefix),
        runner.sink(VenueReport.class, printer));
  }

  @Override
  String summary() {
    VenueCounts counts = printer.total();
    return "Stopped after "
        + printer.batches()
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
