package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.LinesReport;
import dev.streamlab.jobs.UppercaseJob;
import dev.streamlab.lab.print.LinesPrinter;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code lab-cli run uppercase}: every line upper-cased (the lab's steps 1 and 2). */
@Command(
    name = "uppercase",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every line of the stream upper-cased, batch by batch (the lab's steps 1 and 2).",
      "Source: --dir, --socket or --kafka; without one it watches a temporary directory and"
          + " drops a sample text into it every 2 s."
    })
final class RunUppercaseCommand extends LabJobCommand {

  @Override
  Feed feed() {
    return Feed.SAMPLE_TEXT;
  }

  @Override
  JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out) {
    return UppercaseJob.getOrCreate(
        settings, runner.sink(LinesReport.class, new LinesPrinter(out, format)));
  }
}
