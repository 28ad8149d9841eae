package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.kafka.ClientSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab-cli cluster variance}, as a user runs it: a real Spark standalone cluster (master,
 * worker, and the executor the worker starts) and a real three-broker KRaft cluster, each a JVM of
 * its own, the job jar submitted through {@code SparkSubmit}, one broker stopped mid-run. The
 * command checks the job's final result against what the brokers acknowledged; this test checks the
 * command's verdict, that the work really ran on the cluster, and that nothing is left running.
 */
class StandaloneClusterIT {

  @TempDir Path dir;

  @Test
  void theSubmittedJobCountsEveryNumberWhileOneBrokerOfThreeIsDown() throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "cluster",
            "variance",
            "--lines",
            "12000",
            "--rate",
            "1500/s",
            "--dir",
            dir.toString());

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out()).contains("Exact: every number sent was counted once");
    String sent = line(run.out(), "Sent ").replaceFirst(".*\\(", "");
    String counted = line(run.out(), "Job counted").replaceFirst(".*\\(", "");
    assertThat(counted).isEqualTo(sent).startsWith("n = 72,000,");
    assertThat(run.err())
        .contains("Stopping Kafka broker 2 (SIGTERM), mid-run")
        .contains("job: ")
        .contains("warning: Kafka broker 127.0.0.1:");
    Path logs = dir.resolve("logs");
    assertThat(Files.readString(logs.resolve("spark-worker.log")))
        .contains("Asked to launch executor");
    assertThat(Files.readString(logs.resolve("driver.log")))
        .contains("Connected to Spark cluster")
        .contains("(executor 0)");
    assertThat(Files.readString(logs.resolve("kafka-2.out"))).contains("Kafka broker stopped");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  /**
   * On brokers with SCRAM over TLS, the job's password reaches the executor as the README says (a
   * variable set by spark.executorEnv, referenced in --kafka-config), and shows nowhere else.
   */
  @Test
  void onSecuredBrokersTheExecutorReadsWithThePasswordThatNoLogOrCommandLineShows()
      throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "cluster",
            "variance",
            "--security",
            "sasl_ssl",
            "--lines",
            "6000",
            "--rate",
            "1500/s",
            "--dir",
            dir.toString());

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out())
        .contains("Exact: every number sent was counted once, with broker 2 down")
        .contains("Secret: the password was in no process's command line while the job ran");
    assertThat(run.err()).contains("KRaft brokers at 127.0.0.1:").contains(", SASL_SSL");
    Path security = dir.resolve("kafka-security");
    String password =
        ClientSettings.of(security.resolve("secrets.properties"), Map.of())
            .asMap()
            .get("user.password");
    assertThat(password).hasSizeGreaterThan(20);
    assertThat(Files.readString(security.resolve("job-kafka.properties")))
        .doesNotContain(password)
        .contains("${env\\:KAFKA_PASSWORD}");
    // The executor's consumers logged in with it: Kafka prints their settings, the secret hidden.
    try (Stream<Path> files = Files.walk(dir.resolve("worker"))) {
      Path executorLog =
          files.filter(f -> f.getFileName().toString().equals("stderr")).findFirst().orElseThrow();
      assertThat(Files.readString(executorLog))
          .contains("security.protocol = SASL_SSL")
          .contains("sasl.jaas.config = [hidden]");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.toList()) {
        if (!file.startsWith(security)
            && !file.toString().endsWith(".jar")
            && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
              .as(file.toString())
              .doesNotContain(password);
        }
      }
    }
    assertThat(run.out() + run.err()).doesNotContain(password);
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
