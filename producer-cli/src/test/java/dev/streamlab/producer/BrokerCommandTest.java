package dev.streamlab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.testkit.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer-cli broker} as a real process, stopped by a real SIGTERM. */
class BrokerCommandTest {

  @TempDir Path dataDir;

  @Test
  void servesUntilSigtermThenStopsCleanly() throws Exception {
    // An earlier run with --security left its client files here: this plaintext broker warns.
    Files.writeString(dataDir.resolve("ca.pem"), "an earlier authority\n");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                ProducerCli.class.getName(),
                "broker",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String ready = output.readLine();
      assertThat(ready).startsWith("Kafka broker ready at 127.0.0.1:").contains(dataDir.toString());
      assertThat(output.readLine())
          .isEqualTo(
              "warning: "
                  + dataDir
                  + " holds client files of an earlier secured run (ca.pem), not this broker's:"
                  + " this one is plaintext, and its clients need no settings");
      assertThat(dataDir.resolve("ca.pem")).exists();
      String bootstrap = ready.split(" ")[4];
      Topics.send(bootstrap, "t", "1 2 3");
      assertThat(Topics.readAll(bootstrap, "t")).containsExactly("1 2 3");

      process.toHandle().destroy(); // SIGTERM, leaving our end of its output open
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      List<String> rest = new ArrayList<>();
      output.lines().forEach(rest::add);
      assertThat(rest).contains("Kafka broker stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aSecuredQuorumNeedsOneSecurityDirectoryForAllItsNodes() {
    CommandRun run =
        CommandRun.of(
            "",
            "broker",
            "--quorum",
            "1@127.0.0.1:19501,2@127.0.0.1:19502,3@127.0.0.1:19503",
            "--security",
            "sasl_ssl",
            "--data-dir",
            dataDir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--security with --quorum needs --security-dir, one for all the nodes");
  }

  @Test
  void aSecurityDirectoryWithoutSecurityIsAUsageError() {
    CommandRun run =
        CommandRun.of(
            "", "broker", "--security-dir", dataDir.toString(), "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--security-dir is where a secured broker keeps its files: it needs --security"
                + " sasl_ssl or --security ssl");
  }

  @Test
  void aDataOrSecurityDirectoryThatIsAFileIsAUsageError() throws Exception {
    Path file = java.nio.file.Files.writeString(dataDir.resolve("a-file"), "");

    CommandRun data = CommandRun.of("", "broker", "--data-dir", file.toString());
    assertThat(data.exitCode()).isEqualTo(2);
    assertThat(data.err()).contains("--data-dir " + file + " is a file, not a directory");

    CommandRun security =
        CommandRun.of(
            "",
            "broker",
            "--security",
            "sasl_ssl",
            "--security-dir",
            file.toString(),
            "--data-dir",
            dataDir.resolve("kafka").toString());
    assertThat(security.exitCode()).isEqualTo(2);
    assertThat(security.err()).contains("--security-dir " + file + " is a file, not a directory");
  }
}
