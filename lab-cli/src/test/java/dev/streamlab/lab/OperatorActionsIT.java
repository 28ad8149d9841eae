package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators do to a job, its topic and its checkpoint, done to {@code lab-cli run} in
 * processes of its own on a real broker, as issue 24 lists them: a Spark setting that runs batches
 * side by side, a topic deleted (and created again) between two runs, another topic or job on a
 * checkpoint, two jobs on one checkpoint and a crash of the first, a state file lost or cut short,
 * Kafka down at a restart, and an open transaction that holds a partition. Each ends in one line
 * that names the true cause, and a checkpoint that is fine is left as it was.
 */
class OperatorActionsIT {

  private static final Duration ENDS = Duration.ofSeconds(90);

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void batchesSideBySideAreRefusedAsAUsageError() throws Exception {
    Ended ended =
        lab(
            VarianceRuns.command(
                bootstrap(),
                "side-by-side",
                dir.resolve("checkpoint"),
                "--conf",
                "spark.streaming.concurrentJobs=3"));

    ended.assertOneLine(
        2,
        "--conf spark.streaming.concurrentJobs=3: the jobs save their state batch after batch, in"
            + " order, so they run one batch at a time (1, Spark's default)");
    assertThat(dir.resolve("checkpoint")).doesNotExist();
  }

  @Test
  void aTopicDeletedOrCreatedAgainBetweenTwoRunsIsNamedAndTheCheckpointKept() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    Stats counted = countAndStop("again", checkpoint, 20);
    byte[] state = Files.readAllBytes(checkpoint.resolve("job-state"));

    kafka.deleteTopic("again");
    lab(VarianceRuns.command(bootstrap(), "again", checkpoint))
        .assertOneLine(
            1,
            "topic again does not exist at "
                + bootstrap()
                + ", and the checkpoint in "
                + checkpoint
                + " has counted it up to again-0 offset 20: it was deleted, or this is another"
                + " cluster; a job that resumes never creates its topic");
    assertThat(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS))
        .as("the job did not create the topic again")
        .doesNotContain("again");

    kafka.createTopic("again", 2);
    List<String> anew = send("again", 5);
    lab(VarianceRuns.command(bootstrap(), "again", checkpoint))
        .assertOneLine(1, "topic again has the id ")
        .assertErrContains(
            "the checkpoint in "
                + checkpoint
                + " counts: it was deleted and created again; the checkpoint had read the old topic"
                + " up to again-0 offset 20, and anything written to it after that was never read;"
                + " the checkpoint in "
                + checkpoint
                + " is as it was: run again with --on-data-loss continue");
    assertThat(Files.readAllBytes(checkpoint.resolve("job-state"))).isEqualTo(state);

    // Told to go on: the new topic counts from its start, on top of the old one's numbers.
    try (JobProcess job =
        JobProcess.labCli(
            dir,
            VarianceRuns.command(bootstrap(), "again", checkpoint, "--on-data-loss", "continue"))) {
      Stats all = counted.plus(Tally.of(anew.iterator()).stats());
      job.awaitLine(line -> VarianceRuns.n(line) == all.count(), ENDS);
      job.awaitErr("was deleted and created again", ENDS);
      job.signal("TERM");
      assertThat(job.awaitExit(ENDS)).as(job.err()).isZero();
      VarianceRuns.assertExact(VarianceRuns.finalSummary(job), all);
    }
  }

  @Test
  void aLabJobOnATopicCreatedAgainStopsUnlessToldToGoOnAsTheVarianceJobDoes() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    String[] command = {
      "run",
      "word-count",
      "--kafka",
      "words",
      "--bootstrap-server",
      bootstrap(),
      "--checkpoint",
      checkpoint.toString(),
      "--batch",
      "1s",
      "--format",
      "json"
    };
    send("words", 4); // 4 lines of 3 words
    try (JobProcess job = JobProcess.labCli(dir, command)) {
      job.awaitLine(line -> LabJson.read(line).path("words").asLong() == 12, ENDS);
      job.signal("TERM");
      assertThat(job.awaitExit(ENDS)).as(job.err()).isZero();
    }
    kafka.deleteTopic("words");
    kafka.createTopic("words", 1);
    send("words", 2);

    lab(command)
        .assertOneLine(1, "topic words has the id ")
        .assertErrContains(
            " is as it was: run again with --on-data-loss continue to count the new topic from its"
                + " start, or with a new --checkpoint to start over");
    String[] goOn = java.util.Arrays.copyOf(command, command.length + 2);
    goOn[command.length] = "--on-data-loss";
    goOn[command.length + 1] = "continue";
    try (JobProcess job = JobProcess.labCli(dir, goOn)) {
      job.awaitLine(line -> LabJson.read(line).path("words").asLong() == 18, ENDS);
      job.awaitErr("warning: topic words has the id ", ENDS);
      job.signal("TERM");
      assertThat(job.awaitExit(ENDS)).as(job.err()).isZero();
    }
  }

  @Test
  void anotherTopicOrJobOnACheckpointIsAUsageError() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    countAndStop("ta", checkpoint, 5);
    byte[] state = Files.readAllBytes(checkpoint.resolve("job-state"));
    send("tb", 5);

    lab(VarianceRuns.command(bootstrap(), "tb", checkpoint))
        .assertOneLine(
            2,
            "the checkpoint in "
                + checkpoint
                + " counts topic 'ta', not 'tb': give --topic ta to go on counting it, or another"
                + " --checkpoint directory for tb");
    lab(
            "run",
            "word-count",
            "--kafka",
            "ta",
            "--bootstrap-server",
            bootstrap(),
            "--checkpoint",
            checkpoint.toString())
        .assertOneLine(2, "belongs to the 'variance' job, not to 'word-count'");
    assertThat(Files.readAllBytes(checkpoint.resolve("job-state"))).isEqualTo(state);
  }

  @Test
  void aSecondJobOnACheckpointIsRefusedAndACrashedOneDoesNotHoldItBack() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    String[] command = VarianceRuns.command(bootstrap(), "shared", checkpoint);
    List<String> sent = send("shared", 10);
    try (JobProcess first = JobProcess.labCli(dir, command)) {
      first.awaitLine(line -> VarianceRuns.n(line) == 30, ENDS);

      lab(command)
          .assertOneLine(
              1,
              "checkpoint directory "
                  + checkpoint
                  + " is in use by the 'variance' job of process "
                  + first.pid()
                  + " on ");
      sent.addAll(send("shared", 10));
      first.awaitLine(line -> VarianceRuns.n(line) == 60, ENDS);
      first.kill(); // kill -9: its lock stays behind
    }
    assertThat(checkpoint.resolve("streamlab-job.lock")).exists();

    try (JobProcess restarted = JobProcess.labCli(dir, command)) {
      restarted.awaitLine(line -> VarianceRuns.n(line) == 60, ENDS);
      restarted.signal("TERM");
      assertThat(restarted.awaitExit(ENDS)).as(restarted.err()).isZero();
      VarianceRuns.assertExact(
          VarianceRuns.finalSummary(restarted), Tally.of(sent.iterator()).stats());
    }
    assertThat(checkpoint.resolve("streamlab-job.lock")).as("released at the stop").doesNotExist();
  }

  @Test
  void aLostOrTruncatedStateAndKafkaDownAtARestartSayWhatHappened() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    countAndStop("states", checkpoint, 5);
    Path state = checkpoint.resolve("job-state");
    byte[] saved = Files.readAllBytes(state);

    lab(VarianceRuns.command(closedAddress(), "states", checkpoint))
        .assertOneLine(1, "Kafka is unreachable at 127.0.0.1:")
        .assertErrContains(": cannot look up topic states (no answer within 15 s)")
        .assertErrLacks("delete");
    assertThat(Files.readAllBytes(state)).isEqualTo(saved);

    Files.write(state, java.util.Arrays.copyOf(saved, saved.length / 2));
    lab(VarianceRuns.command(bootstrap(), "states", checkpoint))
        .assertOneLine(1, "the job's state in " + state + " is cut short or has bytes added")
        .assertErrLacks("delete");

    Files.delete(state);
    lab(VarianceRuns.command(bootstrap(), "states", checkpoint))
        .assertOneLine(
            1,
            "the checkpoint in "
                + checkpoint
                + " has lost its state: streamlab-job.properties says the 'variance' job keeps it"
                + " in job-state, which is missing");
    assertThat(state).as("not taken for a new job").doesNotExist();
  }

  @Test
  void aPartitionHeldByAnOpenTransactionIsSaidOnceAndWhenItMovesAgain() throws Exception {
    String topic = "held";
    kafka.createTopic(topic, 1);
    List<String> before = send(topic, 3);
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "held-open",
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            40_000); // past the 10 s a stall waits before it is said, with room to spare
    try (KafkaProducer<String, String> open =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        JobProcess job =
            JobProcess.labCli(
                dir, VarianceRuns.command(bootstrap(), topic, dir.resolve("checkpoint")))) {
      job.awaitLine(line -> VarianceRuns.n(line) == 9, ENDS); // running: the stall is timed
      open.initTransactions();
      open.beginTransaction();
      open.send(new ProducerRecord<>(topic, "1000 2000 3000")).get(); // never committed
      List<String> after = send(topic, 4); // committed, but behind the open transaction

      JsonNode stalled =
          LabJson.read(job.awaitLine(line -> line.contains("\"stalled\""), ENDS))
              .get("stalled")
              .get(0);
      assertThat(stalled.get("partition").asText()).isEqualTo("held-0");
      assertThat(stalled.get("cause").asText()).isEqualTo("open_transaction");
      assertThat(stalled.get("offset").asLong()).isEqualTo(3);
      assertThat(stalled.get("held_back").asLong()).isGreaterThanOrEqualTo(5);
      job.awaitErr("warning: held-0 is held at offset 3 by an open transaction, for ", ENDS);

      // The broker aborts it once its timeout passes: the partition moves, and only what was
      // committed counts.
      List<String> committed = new ArrayList<>(before);
      committed.addAll(after);
      Stats truth = Tally.of(committed.iterator()).stats();
      job.awaitLine(line -> VarianceRuns.n(line) == truth.count(), ENDS);
      job.awaitErr("held-0 moves again, ", ENDS);
      job.signal("TERM");
      assertThat(job.awaitExit(ENDS)).as(job.err()).isZero();
      VarianceRuns.assertExact(VarianceRuns.finalSummary(job), truth);
      assertThat(job.err().lines().filter(line -> line.contains("is held at offset"))).hasSize(1);
    }
  }

  // --- helpers ---

  private static String bootstrap() {
    return kafka.bootstrapServers();
  }

  /** Runs the variance job on {@code topic} until it has counted {@code lines} new lines. */
  private Stats countAndStop(String topic, Path checkpoint, int lines) throws Exception {
    List<String> sent = send(topic, lines);
    Stats stats = Tally.of(sent.iterator()).stats();
    try (JobProcess job =
        JobProcess.labCli(dir, VarianceRuns.command(bootstrap(), topic, checkpoint))) {
      job.awaitLine(line -> VarianceRuns.n(line) == stats.count(), ENDS);
      job.signal("TERM");
      assertThat(job.awaitExit(ENDS)).as(job.err()).isZero();
    }
    return stats;
  }

  /** Sends {@code count} lines of three numbers to {@code topic}; returns them. */
  private static List<String> send(String topic, int count) throws Exception {
    List<String> lines = new ArrayList<>();
    try (LineSender sender = new LineSender(bootstrap(), topic, Duration.ofSeconds(10))) {
      for (int i = 0; i < count; i++) {
        String line = (i + 1) + " " + (i + 2) * 0.25 + " " + (1e9 + i);
        sender.send(line);
        lines.add(line);
      }
      sender.flush();
    }
    return lines;
  }

  private static String closedAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  private Ended lab(String... args) throws Exception {
    try (JobProcess process = JobProcess.labCli(dir, args)) {
      return new Ended(process.awaitExit(ENDS), process.err());
    }
  }

  /** A command that ended: its exit code and standard error. */
  private record Ended(int exitCode, String err) {

    /** Asserts one line on standard error, with {@code text}, no stack trace, and the exit code. */
    Ended assertOneLine(int exitCode, String text) {
      assertThat(err.strip().lines()).as(err).hasSize(1);
      assertThat(err).contains(text).doesNotContain("\tat ");
      assertThat(this.exitCode).as(err).isEqualTo(exitCode);
      return this;
    }

    Ended assertErrContains(String text) {
      assertThat(err).contains(text);
      return this;
    }

    Ended assertErrLacks(String text) {
      assertThat(err).doesNotContain(text);
      return this;
    }
  }
}
