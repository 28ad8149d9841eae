package dev.streamlab.producer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code producer-cli broker}: a real Kafka broker in this process, until Ctrl-C or SIGTERM. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a real Apache Kafka broker (KRaft: broker and controller in one, no ZooKeeper) in"
          + " this process until Ctrl-C or SIGTERM. It replaces 'start ZooKeeper, start Kafka'.",
      "The log stays in the data directory, so a restarted broker finds its topics and offsets"
          + " again. Topics are created when first written to."
    })
final class BrokerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on. Default: ${DEFAULT-VALUE}, this machine only; give 0.0.0.0 or"
              + " an interface's address to accept other machines.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the broker keeps its log. Default: ~/.local/share/streamlab/kafka-PORT.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : DataDirectories.kafka(port);
    StopSignal stop = StopSignal.trap();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(host, port, dir);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Kafka broker ready at "
            + broker.bootstrapServers()
            + " (data in "
            + dir
            + "); Ctrl-C stops it");
    out.flush();
    stop.await();
    broker.close();
    out.println("Kafka broker stopped");
    out.flush();
    return 0;
  }
}
