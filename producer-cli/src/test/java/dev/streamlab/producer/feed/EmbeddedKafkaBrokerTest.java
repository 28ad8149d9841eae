package dev.streamlab.producer.feed;

import static dev.streamlab.testkit.Topics.readAll;
import static dev.streamlab.testkit.Topics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @TempDir Path dataDir;

  @Test
  void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, dataDir)) {
      port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      send(broker.bootstrapServers(), "variance", "1 2 3 4 5 6");
      assertThat(readAll(broker.bootstrapServers(), "variance")).containsExactly("1 2 3 4 5 6");
    }
    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start("127.0.0.1", port, dataDir)) {
      send(again.bootstrapServers(), "variance", "7 8 9");
      assertThat(readAll(again.bootstrapServers(), "variance"))
          .containsExactly("1 2 3 4 5 6", "7 8 9");
    }
  }

  @Test
  void aPortInUseIsAClearFailure() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(
              () -> EmbeddedKafkaBroker.start("127.0.0.1", taken.getLocalPort(), dataDir).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("could not start on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void aBrokerStartedInTheBackgroundServesAClientThatCameBeforeItWasReady() throws Exception {
    try (EmbeddedKafkaBroker.Starting starting =
        EmbeddedKafkaBroker.startInBackground("127.0.0.1", dataDir)) {
      // Sent at once, likely before the broker listens: the producer retries until it does.
      send(starting.bootstrapServers(), "variance", "1 2 3");
      assertThat(starting.await().bootstrapServers()).isEqualTo(starting.bootstrapServers());
      assertThat(readAll(starting.bootstrapServers(), "variance")).containsExactly("1 2 3");
    }
  }

  @Test
  void aBrokerThatCannotStartInTheBackgroundSaysWhyWhenAwaitedAndClosesQuietly() throws Exception {
    Path notADirectory = Files.writeString(dataDir.resolve("a-file"), "");
    EmbeddedKafkaBroker.Starting starting =
        EmbeddedKafkaBroker.startInBackground("127.0.0.1", notADirectory);

    assertThatThrownBy(starting::await).hasMessageContaining("a-file");
    starting.close(); // nothing started, nothing to stop
  }
}
