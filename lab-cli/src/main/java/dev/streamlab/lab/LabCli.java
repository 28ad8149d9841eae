package dev.streamlab.lab;

import dev.streamlab.lab.bench.BenchCommand;
import dev.streamlab.lab.cluster.ClusterCommand;
import dev.streamlab.lab.run.RunCommand;
import dev.streamlab.lab.run.StartupTimings;
import dev.streamlab.producer.cli.StandardCommandLine;
import dev.streamlab.producer.cli.VerboseOption;
import dev.streamlab.producer.kafka.KafkaFailures;
import java.io.InputStream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab-cli}: starts the streaming jobs and prints their results, and computes the ground
 * truth of data files.
 *
 * <p>Run it with {@code bin/lab-cli --help}.
 */
@Command(
    name = "lab-cli",
    mixinStandardHelpOptions = true,
    versionProvider = StandardCommandLine.ManifestVersion.class,
    description = "Runs the Spark Streaming lab's jobs and prints their results.",
    subcommands = {
      StatsCommand.class,
      RunCommand.class,
      CheckpointCommand.class,
      ConsumeCommand.class,
      BenchCommand.class,
      ClusterCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class LabCli implements Runnable {

  @Spec CommandSpec spec;

  @Mixin VerboseOption verbose;

  final InputStream stdin;

  private LabCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /** The configured command line reading standard input from {@code stdin}, for tests. */
  static CommandLine commandLine(InputStream stdin) {
    return StandardCommandLine.of(new LabCli(stdin), KafkaFailures::describe);
  }

  public static void main(String[] args) {
    StartupTimings.mainEntered();
    System.exit(commandLine(System.in).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
