package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.LineServer;
import dev.streamlab.producer.StopSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code run uppercase} and {@code run long-words} on a real socket and a real directory. */
class TextJobCommandTest {

  @Test
  void upperCasesLinesFromASocketServer() throws Exception {
    List<String> lines = List.of("hello spark", "über streams");
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      Thread serving =
          new Thread(
              () -> {
                try {
                  server.serve(lines.iterator(), 5, StopSignal.trap());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      serving.start();

      CommandRun run =
          CommandRun.of(
              "", "run", "uppercase", "--socket", "127.0.0.1:" + server.port(), "--duration", "7s");

      serving.join(5_000);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(
              run.out().lines().filter(line -> !line.startsWith("-") && !line.startsWith("Time:")))
          .filteredOn(line -> !line.isEmpty())
          .containsExactly("HELLO SPARK", "ÜBER STREAMS");
    }
  }

  @Test
  void printsOnlyLongWordsOfTheSampleDroppedIntoAWatchedDirectory() {
    CommandRun run = CommandRun.of("", "run", "long-words", "--duration", "7s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("dropping the sample text into it every 2s");
    List<String> words =
        run.out()
            .lines()
            .filter(line -> !line.isEmpty() && !line.startsWith("-") && !line.startsWith("Time:"))
            .toList();
    assertThat(words).contains("sequence", "checkpoints", "application");
    assertThat(words)
        .allSatisfy(word -> assertThat(word).hasSizeGreaterThan(5).doesNotContain(" "));
  }

  @Test
  void sourcesAreExclusiveAndASocketNeedsAPort() {
    assertThat(CommandRun.of("", "run", "uppercase", "--dir", "/tmp", "--socket", "h:1").exitCode())
        .isEqualTo(2);
    CommandRun run = CommandRun.of("", "run", "uppercase", "--socket", "localhost");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--socket takes HOST:PORT, was 'localhost'");
  }
}
