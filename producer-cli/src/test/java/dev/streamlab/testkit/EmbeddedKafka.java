package dev.streamlab.testkit;

import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker, embedded and on loopback, for the tests of one class: started before the
 * first, stopped after the last, its data directory deleted. What tests do to its topics as an
 * operator would (create, delete, delete records) goes through its {@link #admin()} client.
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();
 * ... kafka.bootstrapServers() ...
 * }</pre>
 */
public final class EmbeddedKafka implements BeforeAllCallback, AfterAllCallback {

  private static final long WAIT_SECONDS = 30;

  private final BrokerSecurity.Mode mode;
  private Path dataDir;
  private EmbeddedKafkaBroker broker;
  private BrokerSecurity security;
  private Admin admin;

  /** A plaintext broker. */
  public EmbeddedKafka() {
    this(BrokerSecurity.Mode.PLAINTEXT);
  }

  private EmbeddedKafka(BrokerSecurity.Mode mode) {
    this.mode = mode;
  }

  /**
   * A broker whose clients authenticate as {@code mode} says ({@link BrokerSecurity}); its {@link
   * #clientSettings()} are those of its super user.
   */
  public static EmbeddedKafka secured(BrokerSecurity.Mode mode) {
    return new EmbeddedKafka(mode);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("embedded-kafka-");
    if (mode == BrokerSecurity.Mode.PLAINTEXT) {
      broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, dataDir);
    } else {
      security = BrokerSecurity.prepare(mode, dataDir, "127.0.0.1");
      broker = EmbeddedKafkaBroker.startSecured("127.0.0.1", 0, dataDir, security);
    }
  }

  /** The broker's security: its files and its user's settings; null for a plaintext broker. */
  public BrokerSecurity security() {
    return security;
  }

  /**
   * The settings of the broker's user, what its {@code client.properties} holds; none in plaintext.
   */
  public Map<String, String> clientSettings() {
    return security == null ? Map.of() : security.clientSettings();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (admin != null) {
        admin.close();
      }
      if (broker != null) {
        broker.close();
      }
    } finally {
      DataDirectories.deleteRecursively(dataDir);
    }
  }

  /** The broker's address, {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** An admin client of the broker, made at the first call and closed with the broker. */
  public synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(clientSettings());
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      admin = Admin.create(config);
    }
    return admin;
  }

  /** Creates {@code topic} with {@code partitions} partitions, within 30 s. */
  public void createTopic(String topic, int partitions) {
    await(admin().createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all());
  }

  /** Deletes {@code topic}, and waits until the broker no longer lists it, within 30 s. */
  public void deleteTopic(String topic) {
    await(admin().deleteTopics(Set.of(topic)).all());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (await(admin().listTopics().names()).contains(topic)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(topic + " still listed 30 s after its deletion");
      }
      sleep(100);
    }
  }

  /** Deletes the records of {@code partition} before {@code offset}, as retention would. */
  public void deleteRecords(TopicPartition partition, long offset) {
    await(admin().deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).all());
  }

  /** The value of {@code future}, within 30 s; its failure as an unchecked exception. */
  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from the broker within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
