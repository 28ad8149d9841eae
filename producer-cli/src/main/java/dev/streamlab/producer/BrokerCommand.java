package dev.streamlab.producer;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
      names = "--quorum",
      paramLabel = "ID@HOST:PORT,...",
      description =
          "Run as one node of a cluster: every node's id and controller port, the same list on"
              + " each node (e.g. 1@127.0.0.1:19091,2@127.0.0.1:19092,3@127.0.0.1:19093). A node"
              + " is ready once a majority of them is up.")
  String quorum;

  @Option(
      names = "--node-id",
      defaultValue = "1",
      paramLabel = "ID",
      description = "This node's id in --quorum. Default: ${DEFAULT-VALUE}.")
  int nodeId;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the broker keeps its log. Default: ~/.local/share/streamlab/kafka-PORT.")
  Path dataDir;

  @Option(
      names = "--security",
      defaultValue = "plaintext",
      paramLabel = "plaintext|sasl_ssl|ssl",
      description =
          "How clients authenticate. sasl_ssl: SCRAM-SHA-512 over TLS, user '"
              + BrokerSecurity.USER
              + "' with a random password; ssl: mutual TLS, a client certificate. Either makes a"
              + " certificate authority and the broker's certificate on first use, and writes in"
              + " the data directory client.properties (for --kafka-config), librdkafka.properties"
              + " (for kcat -F) and ca.pem; no plaintext listener is left. Default:"
              + " ${DEFAULT-VALUE}.")
  BrokerSecurity.Mode security;

  @Option(
      names = "--security-dir",
      paramLabel = "DIR",
      description =
          "Where --security keeps its certificates, passwords and client files. Default: the data"
              + " directory. The nodes of a --quorum need one: the same directory for nodes on one"
              + " machine, a copy of it on each host, so that their certificates come from one"
              + " authority and their user has one password.")
  Path securityDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : DataDirectories.kafka(port);
    requireDirectory(dir, "--data-dir");
    if (securityDir != null) {
      requireDirectory(securityDir, "--security-dir");
    }
    if (security != BrokerSecurity.Mode.PLAINTEXT && quorum != null && securityDir == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--security with --quorum needs --security-dir, one for all the nodes: their"
              + " certificates must come from one authority");
    }
    if (securityDir != null && security == BrokerSecurity.Mode.PLAINTEXT) {
      throw new ParameterException(
          spec.commandLine(),
          "--security-dir is where a secured broker keeps its files: it needs --security sasl_ssl"
              + " or --security ssl");
    }
    StopSignal stop = StopSignal.trap();
    PrintWriter out = spec.commandLine().getOut();
    BrokerSecurity secured = null;
    if (security != BrokerSecurity.Mode.PLAINTEXT) {
      secured = BrokerSecurity.prepare(security, securityDir != null ? securityDir : dir, host);
    }
    EmbeddedKafkaBroker broker;
    if (secured != null && quorum != null) {
      broker = EmbeddedKafkaBroker.startSecured(clusterNode(), dir, secured);
    } else if (secured != null) {
      broker = EmbeddedKafkaBroker.startSecured(host, port, dir, secured);
    } else if (quorum == null) {
      broker = EmbeddedKafkaBroker.start(host, port, dir);
    } else {
      broker = EmbeddedKafkaBroker.start(clusterNode(), dir);
    }
    out.println(
        "Kafka broker ready at "
            + broker.bootstrapServers()
            + (secured == null ? "" : ", " + describe(secured.mode()))
            + " (data in "
            + dir
            + "); Ctrl-C stops it");
    if (secured != null) {
      out.println(
          "Client settings: " + secured.clientProperties() + " (Java clients: --kafka-config)");
      out.println("                 " + secured.librdkafkaProperties() + " (kcat -F)");
      out.println("CA certificate:  " + secured.caPem());
    }
    out.flush();
    warnOfEarlierClientFiles(dir, secured);
    stop.await();
    broker.close();
    out.println("Kafka broker stopped");
    out.flush();
    return 0;
  }

  /**
   * Warns of client files that an earlier secured run left in the data directory, when this
   * broker's are elsewhere or it has none: a client given them would trust another authority, or
   * speak TLS to a plaintext listener. They are left as they are: the earlier run may be started
   * again.
   */
  private void warnOfEarlierClientFiles(Path dir, BrokerSecurity secured) {
    if (secured != null && secured.dir().toAbsolutePath().equals(dir.toAbsolutePath())) {
      return;
    }
    List<String> left =
        BrokerSecurity.CLIENT_FILES.stream()
            .filter(name -> Files.exists(dir.resolve(name)))
            .toList();
    if (!left.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "warning: "
              + dir
              + " holds client files of an earlier secured run ("
              + String.join(", ", left)
              + "), not this broker's: "
              + (secured == null
                  ? "this one is plaintext, and its clients need no settings"
                  : "its clients' are in " + secured.dir()));
      err.flush();
    }
  }

  /** {@code dir} is a directory, or nothing yet that one can be made of. */
  private void requireDirectory(Path dir, String option) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(
          spec.commandLine(), option + " " + dir + " is a file, not a directory");
    }
  }

  private static String describe(BrokerSecurity.Mode mode) {
    return mode == BrokerSecurity.Mode.SASL_SSL
        ? BrokerSecurity.MECHANISM + " over TLS, user " + BrokerSecurity.USER
        : "mutual TLS, client certificates";
  }

  /** This node of the --quorum cluster; its cluster id follows from the quorum, the same on all. */
  private EmbeddedKafkaBroker.Node clusterNode() {
    String prefix = nodeId + "@";
    String self =
        Arrays.stream(quorum.split(","))
            .map(String::strip)
            .filter(voter -> voter.startsWith(prefix))
            .findFirst()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "--node-id " + nodeId + " is not in --quorum " + quorum));
    if (port == 0) {
      throw new ParameterException(spec.commandLine(), "a cluster node needs a fixed --port");
    }
    int controllerPort;
    try {
      controllerPort = Integer.parseInt(self.substring(self.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--quorum takes ID@HOST:PORT,..., was '" + quorum + "'");
    }
    UUID id = UUID.nameUUIDFromBytes(quorum.getBytes(StandardCharsets.UTF_8));
    String clusterId =
        new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()).toString();
    return new EmbeddedKafkaBroker.Node(host, nodeId, port, controllerPort, quorum, clusterId);
  }
}
