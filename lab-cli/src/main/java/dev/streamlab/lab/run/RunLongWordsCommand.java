package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.LinesReport;
import dev.streamlab.jobs.LongWordsJob;
import dev.streamlab.lab.print.LinesPrinter;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code lab-cli run long-words}: the words longer than five characters (submission 1). */
@Command(
    name = "long-words",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the words of the stream longer than 5 characters, batch by batch (the lab's"
          + " submission 1).",
      "Source: --dir, --socket or --kafka; without one it watches a temporary directory and"
          + " drops a sample text into it every 2 s."
    })
final class RunLongWordsCommand extends LabJobCommand {

  @Override
  Feed feed() {
    return Feed.SAMPLE_TEXT;
  }

  @Override
  JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out) {
    return LongWordsJob.getOrCreate(
        settings, runner.sink(LinesReport.class, new LinesPrinter(out, format)));
  }
}
