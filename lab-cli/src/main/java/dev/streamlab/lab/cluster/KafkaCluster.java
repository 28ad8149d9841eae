package dev.streamlab.lab.cluster;

import dev.streamlab.producer.ProducerCli;
import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.kafka.ClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A Kafka cluster of three KRaft brokers on loopback, each a JVM of its own ({@code producer-cli
 * broker --quorum}), with the topic {@value #TOPIC} of three partitions replicated three times.
 */
final class KafkaCluster {

  static final String TOPIC = "variance";
  static final int BROKERS = 3;
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private KafkaCluster() {}

  /**
   * Starts the brokers, {@code ports} being their client ports then their controller ports, and
   * creates the topic once they are ready.
   *
   * @param security the brokers' security, null for plaintext
   */
  static List<ChildJvm> start(
      ProcessGroup group,
      Path work,
      Path logs,
      int[] ports,
      String bootstrap,
      BrokerSecurity security)
      throws Exception {
    String quorum =
        IntStream.rangeClosed(1, BROKERS)
            .mapToObj(node -> node + "@127.0.0.1:" + ports[BROKERS + node - 1])
            .collect(Collectors.joining(","));
    List<ChildJvm> brokers = new ArrayList<>();
    for (int node = 1; node <= BROKERS; node++) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "broker",
                  "--quorum",
                  quorum,
                  "--node-id",
                  Integer.toString(node),
                  "--port",
                  Integer.toString(ports[node - 1]),
                  "--data-dir",
                  work.resolve("kafka-" + node).toString()));
      if (security != null) {
        args.addAll(
            List.of(
                "--security",
                security.mode().name().toLowerCase(Locale.ROOT),
                "--security-dir",
                security.dir().toString()));
      }
      brokers.add(
          group.start(
              logs,
              "kafka-" + node,
              ChildJvm.thisClassPath(),
              Map.of(),
              ProducerCli.class.getName(),
              args.toArray(String[]::new)));
    }
    for (ChildJvm broker : brokers) {
      broker.await(
          "'Kafka broker ready'", false, l -> l.startsWith("Kafka broker ready"), START_TIMEOUT);
    }
    try (Admin admin =
        Admin.create(
            settings(security)
                .with(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))) {
      admin
          .createTopics(Set.of(new NewTopic(TOPIC, BROKERS, (short) BROKERS)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    return brokers;
  }

  /** What a client of brokers with {@code security} needs (none for plaintext). */
  static ClientSettings settings(BrokerSecurity security) {
    return security == null
        ? ClientSettings.none()
        : ClientSettings.of(null, security.clientSettings());
  }
}
