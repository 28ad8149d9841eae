package dev.streamlab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.StatsAccumulator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  /** {@code send} to {@code topic} of the test's broker, with {@code options}. */
  private static CommandRun send(String stdin, String topic, String... options) {
    String[] args = new String[5 + options.length];
    args[0] = "send";
    args[1] = "--bootstrap-server";
    args[2] = kafka.bootstrapServers();
    args[3] = "--topic";
    args[4] = topic;
    System.arraycopy(options, 0, args, 5, options.length);
    return CommandRun.of(stdin, args);
  }

  private static String expectedJson(List<String> lines) {
    StatsAccumulator numbers = new StatsAccumulator();
    long rejected = 0;
    for (String line : lines) {
      rejected += NumberLineParser.parse(line, numbers);
    }
    return LabFormat.json(numbers.toStats(), rejected, Algorithm.STABLE);
  }

  @Test
  void oneLineAcknowledgedIsSaidInTheSingular() throws Exception {
    CommandRun run = send("1 2 3\n", "single", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("1 line acknowledged by " + kafka.bootstrapServers() + ", topic single");
  }

  @Test
  void sendsEveryLineOfTheFilesAndPrintsTheirStatistics() throws Exception {
    List<String> lines = List.of("1 2 3", "4 oops 5", "", "1e12 -7.5");
    Path file = Files.write(dir.resolve("numbers.txt"), lines);

    CommandRun run = send("6 7\n", "files", "--format", "json", file.toString(), "-");

    List<String> all = List.of("1 2 3", "4 oops 5", "", "1e12 -7.5", "6 7");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(expectedJson(all));
    assertThat(Topics.readAll(kafka.bootstrapServers(), "files")).containsExactlyElementsOf(all);
  }

  @Test
  void sendsEachLinesBytesAsTheyAreEndingAtLfOrCrlf() throws Exception {
    byte[] invalidUtf8 = {'1', ' ', (byte) 0xff, 'x', ' ', '2'};
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(invalidUtf8);
    file.write('\n');
    file.write("3 4\r\n".getBytes(StandardCharsets.US_ASCII)); // CRLF: the CR is not sent
    file.write("5\r6\n".getBytes(StandardCharsets.US_ASCII)); // a lone CR is part of the line
    file.write("caf\u00e9 7".getBytes(StandardCharsets.UTF_8)); // no line end at the very end
    Path path = Files.write(dir.resolve("bytes.txt"), file.toByteArray());

    CommandRun run = send("", "bytes", "--format", "json", path.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Topics.readAllBytes(kafka.bootstrapServers(), "bytes"))
        .containsExactly(
            invalidUtf8,
            "3 4".getBytes(StandardCharsets.US_ASCII),
            "5\r6".getBytes(StandardCharsets.US_ASCII),
            "caf\u00e9 7".getBytes(StandardCharsets.UTF_8));
    // Read as the jobs read them (UTF-8): '\ufffdx' and 'caf\u00e9' are rejected; a CR separates
    assertThat(run.out().strip())
        .isEqualTo(expectedJson(List.of("1 \ufffdx 2", "3 4", "5\r6", "caf\u00e9 7")))
        .contains("\"n\":7,")
        .contains("\"rejected\":2");
  }

  @Test
  void generatesSeededLinesAndReportsExactlyWhatTheBrokerHolds() {
    CommandRun run =
        send(
            "",
            "generated",
            "--generate",
            "normal",
            "--offset",
            "1e9",
            "--spread",
            "0.001",
            "--count",
            "500",
            "--seed",
            "7",
            "--format",
            "json");

    List<String> stored = Topics.readAll(kafka.bootstrapServers(), "generated");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(stored).hasSize(500);
    assertThat(run.out().strip()).isEqualTo(expectedJson(stored));
  }

  @Test
  void sendsTheLabLineByDefault() {
    CommandRun run = send("", "lab", "--count", "2", "--interval", "10ms");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip())
        .isEqualTo(
            "('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:', 2.9166666666666665)");
    assertThat(Topics.readAll(kafka.bootstrapServers(), "lab"))
        .containsExactly("1 2 3 4 5 6", "1 2 3 4 5 6");
  }

  @Test
  void anUnreachableBrokerIsOneLineAndExitCodeOneAfterTheTimeout() {
    CommandRun run =
        CommandRun.of(
            "", "send", "--bootstrap-server", "127.0.0.1:1", "--count", "1", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .contains(
            "producer-cli send: no Kafka broker answered at 127.0.0.1:1 within 1s (start one with"
                + " 'producer-cli broker', or give --bootstrap-server)");
  }

  @Test
  void aTlsClientIsToldThatThePlaintextListenerDoesNotSpeakTls() {
    CommandRun run =
        send("1\n", "tls-client", "--kafka-property", "security.protocol=SSL", "--timeout", "30s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines())
        .containsExactly(
            "producer-cli send: "
                + kafka.bootstrapServers()
                + " is a PLAINTEXT listener (no SASL), but this client speaks"
                + " security.protocol=SSL: set security.protocol=PLAINTEXT in --kafka-config");
  }

  @Test
  void aMissingFileFailsBeforeAnythingIsSent() {
    CommandRun run = send("", "never", dir.resolve("missing.txt").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("producer-cli send: no such file: " + dir.resolve("missing.txt"));
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(CommandRun.of("", "send", "--generate", "uniform", "file.txt").exitCode())
        .isEqualTo(2);
    assertThat(CommandRun.of("", "send", "--interval", "0s").err())
        .contains("'0s' is not a positive duration");
    assertThat(CommandRun.of("", "send", "--interval", "soon").exitCode()).isEqualTo(2);
    assertThat(CommandRun.of("", "send", "--rate", "-5/s").err())
        .contains("'-5/s' is not a positive rate");
    assertThat(CommandRun.of("", "send", "--rate", "5", "--interval", "1s").exitCode())
        .isEqualTo(2);
    assertThat(CommandRun.of("", "send", "--loop").err()).contains("--loop replays files");
  }
}
