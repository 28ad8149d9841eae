package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.WindowCountJob;
import dev.streamlab.jobs.WindowCountReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.lab.print.WindowCountPrinter;
import dev.streamlab.producer.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
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
  JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out) {
    return WindowCountJob.getOrCreate(
        WindowSettings.of(settings).window(window).slide(slide),
        runner.sink(WindowCountReport.class, new WindowCountPrinter(out, format, window)));
  }
}
