package dev.streamlab.lab.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab-cli bench JOB}: measures a job end to end against what the machine can do. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures a streaming job end to end, against a plain Kafka consumer's limit.",
    subcommands = {BenchVarianceCommand.class})
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
