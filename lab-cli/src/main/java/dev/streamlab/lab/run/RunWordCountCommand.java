package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.WordCountJob;
import dev.streamlab.jobs.WordCountReport;
import dev.streamlab.lab.print.WordCountPrinter;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab-cli run word-count}: running word counts with updateStateByKey (updatestate.py). */
@Command(
    name = "word-count",
    mixinStandardHelpOptions = true,
    description = {
      "Counts every word since the start with updateStateByKey and prints, every batch, the most"
          + " frequent ones, the number of words and of distinct words (the lab's"
          + " updatestate.py). Words are split on whitespace and counted as they are. It keeps"
          + " state, so it always checkpoints: to --checkpoint, or to a temporary directory.",
      "Source: --dir, --socket or --kafka; without one it watches a temporary directory and"
          + " drops a sample text into it every 2 s. On --kafka the counts are kept with the"
          + " offsets they cover instead of in Spark's checkpoint, so a restart after kill -9"
          + " counts every word exactly once."
    })
final class RunWordCountCommand extends LabJobCommand {

  @Option(
      names = "--top",
      defaultValue = "10",
      paramLabel = "N",
      description = "How many of the most frequent words to print. Default: ${DEFAULT-VALUE}.")
  int top;

  @Override
  Feed feed() {
    return Feed.SAMPLE_TEXT;
  }

  @Override
  boolean needsCheckpoint() {
    return true;
  }

  @Override
  void validate() {
    if (top < 0) {
      throw usage("--top must not be negative, was " + top);
    }
  }

  @Override
  JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out) {
    return WordCountJob.getOrCreate(
        WordCountJob.Settings.of(settings).top(top),
        runner.sink(WordCountReport.class, new WordCountPrinter(out, format)));
  }
}
