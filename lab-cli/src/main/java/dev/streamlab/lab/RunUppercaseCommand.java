package dev.streamlab.lab;

import dev.streamlab.jobs.TextJobs;
import org.apache.spark.streaming.api.java.JavaDStream;
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
final class RunUppercaseCommand extends TextJobCommand {
  @Override
  JavaDStream<String> pipeline(JavaDStream<String> lines) {
    return TextJobs.upperCase(lines);
  }
}
