package dev.streamlab.testkit;

import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker, embedded and on loopback, for the tests of one class: started before the
 * first, stopped after the last, its data directory deleted.
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();
 * ... kafka.bootstrapServers() ...
 * }</pre>
 */
public final class EmbeddedKafka implements BeforeAllCallback, AfterAllCallback {

  private Path dataDir;
  private EmbeddedKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("embedded-kafka-");
    broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
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
}
