package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker, in this process: KRaft mode, a node that is both broker and
 * controller, no ZooKeeper; alone, or one {@link Node} of a cluster of such processes.
 *
 * <p>It keeps its log under a data directory, formatted on first use, so a broker restarted on the
 * same directory finds its topics and offsets again. Both listeners bind to the given host
 * (127.0.0.1 unless asked otherwise); the controller listener takes a free port.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", 9092, dataDir)) {
 *   String bootstrap = broker.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final String CONTROLLER = "CONTROLLER";
  private static final String BROKER = "BROKER";
  private static final String LOOPBACK = "127.0.0.1";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Whether the Kafka broker's classes are on the class path: they are not in the job jar for
   * {@code spark-submit}, whose jobs read a real Kafka.
   */
  public static boolean available() {
    try {
      Class.forName(
          "kafka.server.KafkaRaftServer", false, EmbeddedKafkaBroker.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Starts a broker and returns when it is ready to serve clients.
   *
   * @param host the address both listeners bind to, normally {@code 127.0.0.1}
   * @param port the client port; 0 picks a free one
   * @param dataDir where the broker keeps its log; created and formatted when new
   * @throws IllegalStateException if the broker cannot start (port in use, directory locked, …)
   */
  public static EmbeddedKafkaBroker start(String host, int port, Path dataDir) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    int clientPort = port == 0 ? freePort(host) : port;
    int controllerPort = freePort(host);
    return start(
        new Node(host, 1, clientPort, controllerPort, "1@" + host + ":" + controllerPort, null),
        dataDir);
  }

  /**
   * Starts a broker on a free port of {@code host} in a thread of its own and returns at once, the
   * broker's address already known: what the caller starts meanwhile (a Spark context, say) and the
   * broker's start overlap. Kafka clients that connect before the broker is ready retry until it
   * is.
   */
  public static Starting startInBackground(String host, Path dataDir) {
    // Logging set up here, before the broker's thread logs: SLF4J set up by two threads at once
    // hands one of them substitute loggers and prints a warning about it (seen here, seldom).
    LoggerFactory.getILoggerFactory();
    int port = freePort(host);
    CompletableFuture<EmbeddedKafkaBroker> broker =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return start(host, port, dataDir);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            task -> {
              Thread thread = new Thread(task, "embedded-kafka-start");
              thread.setDaemon(true);
              thread.start();
            });
    return new Starting(host + ":" + port, broker);
  }

  /** A broker starting in the background; closing it waits for the start, then stops it. */
  public static final class Starting implements AutoCloseable {

    private final String bootstrapServers;
    private final CompletableFuture<EmbeddedKafkaBroker> broker;

    private Starting(String bootstrapServers, CompletableFuture<EmbeddedKafkaBroker> broker) {
      this.bootstrapServers = bootstrapServers;
      this.broker = broker;
    }

    /** The {@code bootstrap.servers} value for the broker's clients, known before it is up. */
    public String bootstrapServers() {
      return bootstrapServers;
    }

    /** Runs {@code action} once the broker is ready, in the thread that started it. */
    public void whenReady(Runnable action) {
      broker.thenRun(action);
    }

    /**
     * Waits until the broker is ready.
     *
     * @throws IllegalStateException if it could not start, saying why
     */
    public EmbeddedKafkaBroker await() {
      try {
        return broker.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
      }
    }

    /** Stops the broker, once it has started; one that failed to start left nothing to stop. */
    @Override
    public void close() {
      EmbeddedKafkaBroker started;
      try {
        started = await();
      } catch (RuntimeException failedToStart) {
        return;
      }
      started.close();
    }
  }

  /**
   * One node of a KRaft cluster whose nodes are each broker and controller.
   *
   * @param nodeId this node's id, one of {@code voters}
   * @param voters the controller quorum, {@code id@host:controllerPort,…}, the same on every node
   * @param clusterId the cluster's id, the same on every node (null: a new one, for a single node)
   */
  public record Node(
      String host, int nodeId, int port, int controllerPort, String voters, String clusterId) {

    /** How many nodes the quorum has: internal topics are replicated to all of them. */
    int size() {
      return voters.split(",").length;
    }

    /** The address of this node's controller in {@link #voters}. */
    String controllerHost() {
      String prefix = nodeId + "@";
      for (String voter : voters.split(",")) {
        if (voter.startsWith(prefix)) {
          String address = voter.substring(prefix.length());
          return address.substring(0, address.lastIndexOf(':')).replaceAll("^\\[|]$", "");
        }
      }
      throw new IllegalArgumentException("node " + nodeId + " is not one of " + voters);
    }
  }

  /**
   * Starts {@code node} and returns when it is ready to serve clients; in a cluster, that is once a
   * majority of the quorum is up.
   *
   * @throws IllegalStateException if the broker cannot start (port in use, directory locked, …)
   */
  public static EmbeddedKafkaBroker start(Node node, Path dataDir) throws IOException {
    return start(node, dataDir, null, 0);
  }

  /**
   * Starts a broker alone whose clients authenticate as {@code security} says, and returns when it
   * is ready to serve them: the files they need are written (see {@link BrokerSecurity}). Its
   * controller and its own listener are on loopback whatever {@code host} is.
   *
   * @param port the client port; 0 picks a free one
   * @throws IllegalStateException if the broker cannot start (port in use, directory locked, …)
   */
  public static EmbeddedKafkaBroker startSecured(
      String host, int port, Path dataDir, BrokerSecurity security) throws IOException {
    int clientPort = port == 0 ? freePort(host) : port;
    int controllerPort = freePort(LOOPBACK);
    return startSecured(
        new Node(host, 1, clientPort, controllerPort, "1@" + LOOPBACK + ":" + controllerPort, null),
        dataDir,
        security);
  }

  /**
   * Starts {@code node} with its clients authenticated as {@code security} says, and returns when
   * it is ready to serve them (in a cluster, once a majority of the quorum is up). Its own
   * listener, for the other brokers, is on the address its controller has in the quorum; every node
   * of the quorum must have its {@code security} from one certificate authority.
   *
   * @throws IllegalStateException if the broker cannot start (port in use, directory locked, …)
   */
  public static EmbeddedKafkaBroker startSecured(Node node, Path dataDir, BrokerSecurity security)
      throws IOException {
    int brokerPort = freePort(node.controllerHost());
    EmbeddedKafkaBroker broker = start(node, dataDir, security, brokerPort);
    try {
      if (security.mode() == BrokerSecurity.Mode.SASL_SSL) {
        try (Admin admin =
            Admin.create(security.adminSettings(node.controllerHost() + ":" + brokerPort))) {
          BrokerSecurity.upsertUser(admin, BrokerSecurity.USER, security.userPassword());
        }
      }
      security.writeClientFiles(broker.bootstrapServers());
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  private static EmbeddedKafkaBroker start(
      Node node, Path dataDir, BrokerSecurity security, int brokerPort) throws IOException {
    boolean newDir = !Files.exists(dataDir);
    Files.createDirectories(dataDir);
    try {
      KafkaConfig config = new KafkaConfig(properties(node, dataDir, security, brokerPort));
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        format(node, dataDir);
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        shutDown(server);
        throw new IllegalStateException(
            "the Kafka broker could not start on "
                + node.host()
                + ":"
                + node.port()
                + ": "
                + rootMessage(e),
            e);
      }
      return new EmbeddedKafkaBroker(server, node.host() + ":" + node.port());
    } catch (RuntimeException e) {
      if (newDir) {
        DataDirectories.deleteRecursively(dataDir); // a failed start leaves nothing behind
      }
      throw e;
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker, {@code host:port}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the broker and waits until it has; calling it again does nothing. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      shutDown(server);
    }
  }

  private static void shutDown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(
      Node node, Path dataDir, BrokerSecurity security, int brokerPort) {
    String host = node.host();
    String replicas = Integer.toString(node.size());
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(node.nodeId()));
    p.put("controller.quorum.voters", node.voters());
    p.put("controller.listener.names", CONTROLLER);
    if (security == null) {
      p.put(
          "listeners",
          "PLAINTEXT://"
              + host
              + ":"
              + node.port()
              + ","
              + CONTROLLER
              + "://"
              + host
              + ":"
              + node.controllerPort());
      p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + node.port());
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    } else {
      String clients = security.mode().protocol();
      String inner = node.controllerHost();
      String own = inner + ":" + brokerPort;
      p.put(
          "listeners",
          clients
              + "://"
              + host
              + ":"
              + node.port()
              + ","
              + BROKER
              + "://"
              + own
              + ","
              + CONTROLLER
              + "://"
              + inner
              + ":"
              + node.controllerPort());
      p.put(
          "advertised.listeners",
          clients + "://" + host + ":" + node.port() + "," + BROKER + "://" + own);
      p.put("inter.broker.listener.name", BROKER);
      p.putAll(security.brokerSettings(clients, BROKER, CONTROLLER));
    }
    p.put("log.dirs", dataDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The log cleaner looks for compacted topics to clean every second, not every 15 s.
    p.put("log.cleaner.backoff.ms", "1000");
    // A restart after a crash waits for the old session to expire: 3 s instead of the default 9 s.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    return p;
  }

  private static void format(Node node, Path dataDir) {
    String dir = dataDir.toAbsolutePath().toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(node.nodeId())
          .setClusterId(node.clusterId() != null ? node.clusterId() : Uuid.randomUuid().toString())
          .setDirectories(List.of(dir))
          .setMetadataLogDirectory(dir)
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the Kafka data directory " + dir + ": " + rootMessage(e), e);
    }
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
