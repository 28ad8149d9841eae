package dev.streamlab.lab.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab-cli cluster JOB}: runs a job on real Spark and Kafka clusters on this machine. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "Runs a job on a real Spark standalone cluster and a real Kafka cluster, started on this"
            + " machine, and checks its result.",
    subcommands = {ClusterVarianceCommand.class})
public final class ClusterCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
