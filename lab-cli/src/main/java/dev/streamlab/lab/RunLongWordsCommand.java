package dev.streamlab.lab;

import dev.streamlab.jobs.TextJobs;
import org.apache.spark.streaming.api.java.JavaDStream;
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
final class RunLongWordsCommand extends TextJobCommand {
  @Override
  JavaDStream<String> pipeline(JavaDStream<String> lines) {
    return TextJobs.longWords(lines);
  }
}
