package dev.streamlab.lab.run;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab-cli run JOB}: runs one of the lab's streaming jobs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs one of the lab's Spark Streaming jobs and prints its results.",
    subcommands = {
      RunVarianceCommand.class,
      RunUppercaseCommand.class,
      RunLongWordsCommand.class,
      RunVenuesCommand.class,
      RunWindowCountCommand.class,
      RunWordCountCommand.class
    })
public final class RunCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
