package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.producer.feed.LineSender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumeCommandTest {

  @TempDir Path dataDir;

  @Test
  void printsEveryMessageFromTheBeginning() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, dataDir)) {
      try (LineSender sender =
          new LineSender(broker.bootstrapServers(), "variance", Duration.ofSeconds(10))) {
        sender.sendAll(
            List.of("1 2 3 4 5 6", "7 8", "9").iterator(),
            Duration.ZERO,
            3,
            () -> false,
            (l, n) -> {});
      }

      CommandRun run =
          CommandRun.of(
              "",
              "consume",
              "--bootstrap-server",
              broker.bootstrapServers(),
              "--from-beginning",
              "--max-messages",
              "3");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().lines()).containsExactly("1 2 3 4 5 6", "7 8", "9");
    }
  }

  @Test
  void anUnreachableBrokerIsOneLineAndExitCodeOne() {
    CommandRun run =
        CommandRun.of("", "consume", "--bootstrap-server", "127.0.0.1:1", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly(
            "lab-cli consume: no Kafka broker answered at 127.0.0.1:1 within 1s (start one with"
                + " 'producer-cli broker', or give --bootstrap-server)");
  }
}
