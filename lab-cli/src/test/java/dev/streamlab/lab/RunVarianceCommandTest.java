package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlab.lab.run.StartupTimings;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab-cli run variance} through the same wiring as {@code main}, on real Kafka and Spark.
 */
class RunVarianceCommandTest {

  @TempDir Path dir;

  @Test
  void theSingleCommandShowsTheLabWorkingOnAnEmbeddedBroker() {
    CommandRun run = CommandRun.of("", "run", "variance", "--duration", "9s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("Embedded Kafka broker at 127.0.0.1:");
    // Before the first line arrives the job prints the empty state (n 0, var nan); after it,
    // every tuple is the lab's line some number of times: var 35/12, n a multiple of 6.
    List<String> tuples =
        run.out()
            .lines()
            .filter(line -> line.startsWith("("))
            .filter(line -> !line.contains("'n:', 0.0,"))
            .toList();
    assertThat(tuples).hasSizeGreaterThanOrEqualTo(2);
    assertThat(tuples)
        .allSatisfy(
            tuple -> {
              assertThat(tuple).endsWith("'var:', 2.9166666666666665)");
              double n = Double.parseDouble(tuple.replaceAll(".*'n:', ([0-9.]+),.*", "$1"));
              assertThat(n % 6).isZero();
            });
    assertThat(run.out()).contains("Final, after ");
  }

  @Test
  void timingsNameEachStepOfTheStartUpInOrderAtTheFirstReport() {
    CommandRun run = CommandRun.of("", "run", "variance", "--duration", "3s", "--timings");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines =
        run.err().lines().filter(line -> line.startsWith(StartupTimings.PREFIX)).toList();
    assertThat(lines).hasSize(1);
    Matcher steps =
        Pattern.compile("([a-zA-Z ]+) (\\d+\\.\\d\\d)(?:,|\\s\\()")
            .matcher(lines.get(0).substring(StartupTimings.PREFIX.length()));
    List<String> names = new ArrayList<>();
    double previous = 0;
    while (steps.find()) {
      names.add(steps.group(1).trim());
      double seconds = Double.parseDouble(steps.group(2));
      assertThat(seconds).as(lines.get(0)).isGreaterThanOrEqualTo(previous);
      previous = seconds;
    }
    // In this JVM main was never entered: the command ran through its command line.
    assertThat(names).containsExactly("broker", "Spark context", "job started", "first report");
  }

  @Test
  void aFedFileIsCountedExactlyInJson() throws IOException {
    List<String> lines = List.of("1000000004 1000000007", "1000000013 oops 1000000016");
    Path file = Files.write(dir.resolve("classic.txt"), lines);

    CommandRun run =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--feed",
            file.toString(),
            "--duration",
            "8s",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String last = run.out().lines().reduce((a, b) -> b).orElseThrow();
    String expected =
        LabFormat.json(Stats.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16), 1, Algorithm.STABLE);
    assertThat(last).startsWith("{\"time\":\"").endsWith(",\"final\":true}");
    assertThat(last).contains(expected.substring(1, expected.length() - 1));
  }

  @Test
  void aWindowThatIsNotAMultipleOfTheBatchIsAUsageError() {
    CommandRun run = CommandRun.of("", "run", "variance", "--batch", "1s", "--window", "1500ms");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            "lab-cli run variance: --window 1500ms is not a multiple of --batch 1s (see 'lab-cli"
                + " run variance --help')");
  }

  @Test
  void zeroOrNegativeDurationsAreUsageErrors() {
    assertThat(CommandRun.of("", "run", "variance", "--duration", "0s").exitCode()).isEqualTo(2);
    assertThat(CommandRun.of("", "run", "variance", "--batch", "-1s").err())
        .contains("'-1s' is not a positive duration");
  }

  @Test
  void sparksWebUiIsRefusedWhenItWouldListenOnEveryInterface() {
    assumeTrue(System.getenv("SPARK_LOCAL_IP") == null, "SPARK_LOCAL_IP is set here");
    CommandRun run = CommandRun.of("", "run", "variance", "--spark-ui", "--duration", "5s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--spark-ui needs SPARK_LOCAL_IP");
  }

  @Test
  void theLivePagesHostNeedsTheLivePageAndItsPortMustBeOne() {
    CommandRun host = CommandRun.of("", "run", "variance", "--host", "0.0.0.0");
    assertThat(host.exitCode()).isEqualTo(2);
    assertThat(host.err()).contains("--host is where --ui or --metrics listens: give one of them");

    CommandRun port = CommandRun.of("", "run", "variance", "--ui", "70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.err()).contains("--ui takes a port from 0 to 65535, was 70000");

    CommandRun metricsPort = CommandRun.of("", "run", "variance", "--metrics", "-1");
    assertThat(metricsPort.exitCode()).isEqualTo(2);
    assertThat(metricsPort.err()).contains("--metrics takes a port from 0 to 65535, was -1");

    CommandRun both = CommandRun.of("", "run", "variance", "--ui", "0", "--metrics", "0");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--ui serves /metrics itself: leave out --metrics");
  }

  @Test
  void kafkaClientSettingsAreForANamedKafkaAndNotThoseTheJobMakesItself() throws Exception {
    CommandRun embedded =
        CommandRun.of("", "run", "variance", "--kafka-property", "security.protocol=SSL");
    assertThat(embedded.exitCode()).isEqualTo(2);
    assertThat(embedded.err())
        .contains("--kafka-config and --kafka-property set the clients of a Kafka that");

    CommandRun group =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--bootstrap-server",
            "127.0.0.1:1",
            "--kafka-property",
            "group.id=mine");
    assertThat(group.exitCode()).isEqualTo(2);
    assertThat(group.err())
        .contains(
            "--kafka-property group.id is set by the command itself: the job reads every"
                + " partition itself, in no consumer group");

    java.nio.file.Path file = dir.resolve("client.properties");
    java.nio.file.Files.writeString(
        file, "security.protocol=SSL\nisolation.level=read_uncommitted\n");
    CommandRun isolation =
        CommandRun.of(
            "",
            "run",
            "variance",
            "--bootstrap-server",
            "127.0.0.1:1",
            "--kafka-config",
            file.toString());
    assertThat(isolation.exitCode()).isEqualTo(2);
    assertThat(isolation.err())
        .contains(
            "--kafka-config "
                + file
                + ": isolation.level is set by the command itself: give --isolation-level");
  }

  @Test
  void aCheckpointNeedsANamedKafka() {
    CommandRun run = CommandRun.of("", "run", "variance", "--checkpoint", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--checkpoint resumes a job on the same Kafka");
  }

  @Test
  void anUnreachableKafkaIsOneLineAndExitCodeOne() {
    CommandRun run =
        CommandRun.of(
            "", "run", "variance", "--bootstrap-server", "127.0.0.1:1", "--duration", "5s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly(
            "lab-cli run variance: Kafka is unreachable at 127.0.0.1:1: cannot look up topic"
                + " variance (no answer within 15 s): is Kafka running there?");
  }
}
