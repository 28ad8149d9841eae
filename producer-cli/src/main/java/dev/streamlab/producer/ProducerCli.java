package dev.streamlab.producer;

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
    subcommands = {
      BrokerCommand.class,
      SendCommand.class,
      ServeCommand.class,
      DropCommand.class,
      RsvpsCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class ProducerCli implements Runnable {

  @Spec CommandSpec spec;

  @Mixin VerboseOption verbose;

  final InputStream stdin;

  private ProducerCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /** The configured command line reading standard input from {@code stdin}, for tests. */
  public static CommandLine commandLine(InputStream stdin) {
    return StandardCommandLine.of(new ProducerCli(stdin), KafkaFailures::describe);
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.in).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
