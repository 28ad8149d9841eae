package dev.streamlab.producer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code producer-cli}: everything that feeds data to the jobs.
 *
 * <p>Run it with {@code bin/producer-cli --help}.
 */
@Command(
    name = "producer-cli",
    mixinStandardHelpOptions = true,
    versionProvider = StandardCommandLine.ManifestVersion.class,
    description =
        "Feeds data to the streaming jobs: an embedded Kafka broker and the data sources.",
    subcommands = {})
public final class ProducerCli implements Runnable {

  @Spec CommandSpec spec;

  @Mixin VerboseOption verbose;

  /** The configured command line, for {@code main} and for tests. */
  public static picocli.CommandLine commandLine() {
    return StandardCommandLine.of(new ProducerCli());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
