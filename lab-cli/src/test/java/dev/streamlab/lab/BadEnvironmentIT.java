package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.lab.cluster.FreePorts;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.producer.feed.LineSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad arguments and bad environments, each in a process of its own so that everything it writes to
 * standard error is seen: one line naming the problem, exit code 2 for a usage error and 1 for a
 * runtime failure, no stack trace unless --verbose, and nothing half-written left behind.
 */
class BadEnvironmentIT {

  private static final Duration ENDS = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void zeroAndNegativeDurationsAreUsageErrors() throws Exception {
    assertOneLine(lab("run", "variance", "--batch", "0s"), 2, "'0s' is not a positive duration");
    assertOneLine(lab("run", "variance", "--slide", "-2s"), 2, "'-2s' is not a positive duration");
    assertOneLine(lab("run", "word-count", "--duration", "0ms"), 2, "is not a positive duration");
  }

  @Test
  void aWindowThatIsNotAMultipleOfTheBatchIsAUsageError() throws Exception {
    assertOneLine(
        lab("run", "window-count", "--window", "25s"),
        2,
        "--window 25s is not a multiple of --batch 10s");
  }

  @Test
  void badTopicNamesAndBrokerListsAreUsageErrorsThatStateTheRule() throws Exception {
    assertOneLine(
        lab("run", "variance", "--topic", "bad topic!"),
        2,
        "'bad topic!' is not a Kafka topic name: it contains ' ' (1 to 249 ASCII letters,"
            + " digits, '.', '_' or '-')");
    assertOneLine(
        lab("run", "variance", "--bootstrap-server", ""),
        2,
        "'' is not a list of Kafka brokers: it is empty");
    assertOneLine(producer("send", "--topic", ""), 2, "'' is not a Kafka topic name: it is empty");
  }

  @Test
  void aMistypedOptionSuggestsTheNearOneAndItsValueIsNotASecondUnknown() throws Exception {
    assertOneLine(
        lab("run", "window-count", "--windw", "2s"),
        2,
        "lab-cli run window-count: unknown option '--windw'; did you mean '--window'?");
    assertOneLine(lab("run", "varience"), 2, "unknown command 'varience'; did you mean 'variance'");
  }

  @Test
  void helpPrintsNoWarnings() throws Exception {
    for (String command : new String[] {"rsvps", "send", "broker", "serve", "drop"}) {
      Ended help = producer(command, "--help");
      assertThat(help.exitCode()).as(help.err()).isZero();
      assertThat(help.err()).as(command).isEmpty();
    }
  }

  @Test
  void aBadSparkMasterIsOneLineWithoutSparksLogs() throws Exception {
    assertOneLine(
        lab("run", "variance", "--master", "nonsense"),
        2,
        "'nonsense' is not a Spark master URL (local, local[N], local[*], spark://HOST:PORT");
    // A URL of the right form that Spark refuses: Spark's own message, without its logs
    Path checkpoint = dir.resolve("checkpoint");
    Path watched = dir.resolve("watched");
    assertOneLine(
        lab(
            "run",
            "word-count",
            "--master",
            "local[0]",
            "--dir",
            watched.toString(),
            "--checkpoint",
            checkpoint.toString()),
        1,
        "run word-count: Asked to run locally with 0 threads");
    assertThat(checkpoint).doesNotExist();
    assertThat(watched).doesNotExist();
  }

  @Test
  void anUnreachableBrokerIsOneLineAndLeavesNoCheckpointBehind() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    String[] command = {
      "run",
      "variance",
      "--bootstrap-server",
      closedAddress(),
      "--checkpoint",
      checkpoint.toString()
    };

    assertOneLine(
        lab(command),
        1,
        "Kafka is unreachable at " + command[3] + ": cannot look up topic variance");
    assertThat(checkpoint).doesNotExist();
  }

  @Test
  void verboseShowsTheStackTrace() throws Exception {
    Ended ended =
        lab("run", "variance", "--bootstrap-server", closedAddress(), "--verbose", "--batch", "1s");

    assertThat(ended.exitCode()).isEqualTo(1);
    assertThat(ended.err()).contains("cannot look up topic variance").contains("\tat ");
  }

  @Test
  void anUnwritableCheckpointDirectoryIsNamedAndNothingIsCreated() throws Exception {
    Files.writeString(dir.resolve("file"), "");
    Path checkpoint = dir.resolve("file/checkpoint");
    Path watched = dir.resolve("watched");

    assertOneLine(
        lab(
            "run",
            "word-count",
            "--dir",
            watched.toString(),
            "--checkpoint",
            checkpoint.toString()),
        1,
        "cannot use checkpoint directory " + checkpoint);
    assertThat(watched).doesNotExist();
  }

  @Test
  void aMissingInputFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing.txt");
    assertOneLine(lab("run", "variance", "--feed", missing.toString()), 1, "no such file");
    assertOneLine(lab("stats", missing.toString()), 1, "no such file: " + missing);
  }

  @Test
  void aCheckpointOfAnotherJobOrAnotherBuildIsRefusedByName() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    String watched = dir.resolve("watched").toString();
    Ended written =
        lab(
            "run",
            "word-count",
            "--dir",
            watched,
            "--checkpoint",
            checkpoint.toString(),
            "--duration",
            "2s");
    assertThat(written.exitCode()).as(written.err()).isZero();

    assertOneLine(
        lab("run", "long-words", "--dir", watched, "--checkpoint", checkpoint.toString()),
        2,
        "belongs to the 'word-count' job, not to 'long-words'");

    Path marker = checkpoint.resolve("streamlab-job.properties");
    Files.writeString(marker, Files.readString(marker).replaceFirst("version=.*", "version=0.0.9"));
    assertOneLine(
        lab("run", "word-count", "--dir", watched, "--checkpoint", checkpoint.toString()),
        1,
        "was written by version 0.0.9");

    Files.delete(marker); // a checkpoint from before markers: Spark's own check remains
    try (Stream<Path> files = Files.list(checkpoint)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("checkpoint-")).toList()) {
        Files.writeString(file, "written by something else");
      }
    }
    assertOneLine(
        lab("run", "word-count", "--dir", watched, "--checkpoint", checkpoint.toString()),
        1,
        "Spark cannot recover its checkpoint in " + checkpoint);
  }

  @Test
  void aPortInUseIsOneLineAndTheBrokerLeavesNoDataDirectory() throws Exception {
    Path data = dir.resolve("kafka");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(taken.getLocalPort());

      assertOneLine(
          producer("broker", "--port", port, "--data-dir", data.toString()),
          1,
          "could not start on 127.0.0.1:" + port + ": Address already in use");
      assertOneLine(
          producer("serve", "--port", port),
          1,
          "cannot listen on 127.0.0.1:" + port + ": Address already in use");
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void recordsDeletedBeforeTheyWereReadAreOneLineAndTheCheckpointIsKept() throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start("127.0.0.1", 0, dir.resolve("kafka"))) {
      String bootstrap = broker.bootstrapServers();
      Path checkpoint = dir.resolve("checkpoint");
      String[] command = VarianceRuns.command(bootstrap, "lossy", checkpoint);
      try (LineSender sender = new LineSender(bootstrap, "lossy", Duration.ofSeconds(30))) {
        for (int i = 0; i < 30; i++) {
          sender.send("1 2 3");
        }
        sender.flush();
        try (JobProcess first = JobProcess.labCli(dir.resolve("runs"), command)) {
          first.awaitLine(line -> VarianceRuns.n(line) == 90, ENDS);
          first.signal("TERM");
          assertThat(first.awaitExit(ENDS)).as(first.err()).isZero();
        }
        for (int i = 0; i < 20; i++) {
          sender.send("4 5 6");
        }
        sender.flush();
      }
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .deleteRecords(Map.of(new TopicPartition("lossy", 0), RecordsToDelete.beforeOffset(40)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      byte[] saved = Files.readAllBytes(checkpoint.resolve("job-state"));

      assertOneLine(
          lab(command),
          1,
          "run variance: 10 records were deleted from the topic before the job read them"
              + " (retention or deleteRecords): lossy-0 offsets 30 to 39 (10 records); the"
              + " checkpoint in "
              + checkpoint
              + " is as it was: run again with --on-data-loss continue");
      assertThat(Files.readAllBytes(checkpoint.resolve("job-state"))).isEqualTo(saved);
    }
  }

  private record Ended(int exitCode, String err) {}

  private Ended lab(String... args) throws Exception {
    return end(JobProcess.labCli(dir.resolve("runs"), args));
  }

  private Ended producer(String... args) throws Exception {
    return end(JobProcess.producerCli(dir.resolve("runs"), args));
  }

  private static Ended end(JobProcess process) throws InterruptedException {
    try (process) {
      return new Ended(process.awaitExit(ENDS), process.err());
    }
  }

  private static void assertOneLine(Ended ended, int exitCode, String problem) {
    assertThat(ended.err().strip().lines()).as(ended.err()).hasSize(1);
    assertThat(ended.err()).contains(problem).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(ended.exitCode()).as(ended.err()).isEqualTo(exitCode);
  }

  /** An address where nothing listens. */
  private static String closedAddress() throws IOException {
    return "127.0.0.1:" + FreePorts.onLoopback(1)[0];
  }
}
