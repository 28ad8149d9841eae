package dev.streamlab.producer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ListenerProbe} against a real mutual-TLS listener, which refuses the probe (it has no
 * client certificate) after the handshake, by an alert or a reset, whichever the probe sees first:
 * each time, from either side, it is told as such a listener.
 */
class ListenerProbeTest {

  @RegisterExtension
  static final EmbeddedKafka kafka = EmbeddedKafka.secured(BrokerSecurity.Mode.SSL);

  @Test
  void aMutualTlsListenerIsRecognisedEveryTime() {
    for (int i = 0; i < 10; i++) {
      boolean tls = i % 2 == 0; // the client's side: TLS first, or plaintext first
      Optional<ListenerProbe.Listener> listener =
          ListenerProbe.probe(kafka.bootstrapServers(), Duration.ofSeconds(3), tls, "GSSAPI");

      assertThat(listener)
          .as("probe %d", i)
          .contains(new ListenerProbe.Listener(true, true, false, List.of()));
      assertThat(listener.get().protocol()).isEqualTo("SSL");
    }
  }

  @Test
  void nothingListeningIsNoListener() {
    assertThat(ListenerProbe.probe("127.0.0.1:1", Duration.ofSeconds(1), true, "GSSAPI")).isEmpty();
    assertThat(ListenerProbe.probe("no-port", Duration.ofSeconds(1), false, "GSSAPI")).isEmpty();
  }
}
