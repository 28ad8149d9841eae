package dev.streamlab.jobs.kafka;

import static dev.streamlab.jobs.VarianceRuns.assertExact;
import static dev.streamlab.jobs.VarianceRuns.awaitCount;
import static dev.streamlab.jobs.VarianceRuns.last;
import static dev.streamlab.jobs.VarianceRuns.newSink;
import static dev.streamlab.jobs.VarianceRuns.offsetLines;
import static dev.streamlab.jobs.VarianceRuns.reportsOf;
import static dev.streamlab.jobs.VarianceRuns.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.Pipeline;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.VarianceRuns.Run;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Tally;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators do to a Kafka job's topic and checkpoint, in the job's own JVM on a real broker: a
 * batch that fails while the batches behind it run, a topic deleted and created again under a
 * running job, partitions added (and records deleted from them) while the job was down, and a job
 * started at the latest offsets that stops before its first batch. Each is a scenario of issue 24;
 * those that need a process of their own are in lab-cli's {@code OperatorActionsIT}.
 */
class OperatorActionsTest {

  private static final long SECONDS = 1000;

  @TempDir Path checkpoint;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  /** Set by the slow step of {@link #aFailedBatchIsNeverSkippedByTheBatchesBehindIt}. */
  private static final AtomicBoolean SLOWED = new AtomicBoolean();

  @Test
  void aFailedBatchIsNeverSkippedByTheBatchesBehindIt() throws Exception {
    kafka.createTopic("failing", 1);
    Random random = new Random(21);
    send(bootstrap(), "failing", 0, offsetLines(random, 100));
    TopicPartition partition = new TopicPartition("failing", 0);
    SLOWED.set(false);
    // The first batch (offsets 0 to 99) runs for 2.5 batch intervals, while 50 more lines arrive
    // and the batches behind it are planned from offset 100 on; then retention deletes what it is
    // about to read, and it fails.
    KafkaInput.Step<Tally> slowThenDeleted =
        (state, lines, time) -> {
          if (SLOWED.compareAndSet(false, true)) {
            sleep(2_500);
            send(bootstrap(), "failing", 0, offsetLines(new Random(22), 50));
            sleep(1_500);
            kafka.deleteRecords(partition, 100);
          }
          return state.plus(
              lines
                  .mapPartitions(p -> List.of(Tally.of(p)).iterator())
                  .fold(Tally.EMPTY, Tally::plus));
        };
    JobSettings settings = settings(KafkaSource.of(bootstrap(), "failing"));
    JavaStreamingContext context =
        JobContext.getOrCreate(
                "variance",
                settings,
                Pipeline.of(
                    lines -> {},
                    input -> input.fold(Tally.EMPTY, slowThenDeleted, (state, batch) -> {})))
            .streaming();
    context.start();
    Throwable failed;
    try {
      failed = awaitFailure(context);
    } finally {
      context.stop(true, false);
    }

    // Which failure Spark reports first depends on timing: the failed batch's own (its records
    // deleted while it read them), or the refusal of the batch behind it to save past it. Either
    // way no batch was skipped, which the saved offsets below show.
    assertThat(failed.getMessage())
        .satisfiesAnyOf(
            message -> assertThat(message).contains("while the batch read them"),
            message ->
                assertThat(message)
                    .contains("a batch reads failing-0 from offset 100, but the saved state ends")
                    .contains("its saved state is as it was"));
    assertThat(savedOffsets())
        .as("no batch behind the failed one was saved: the saved state ends where it began")
        .isEqualTo(Map.of(partition, 0L));
    assertThatThrownBy(() -> runOnce(KafkaSource.of(bootstrap(), "failing")))
        .isInstanceOf(DataLossException.class)
        .hasMessage(
            "100 records were deleted from the topic before the job read them (retention or"
                + " deleteRecords): failing-0 offsets 0 to 99 (100 records)");
  }

  @Test
  void aTopicDeletedAndCreatedAgainUnderARunningJobStopsItUnlessToldToGoOn() throws Exception {
    kafka.createTopic("recreated", 1);
    Random random = new Random(23);
    List<String> first = offsetLines(random, 20);
    send(bootstrap(), "recreated", 0, first);
    ReportSink<VarianceReport> sink = newSink();
    Run run = variance(KafkaSource.of(bootstrap(), "recreated"), sink);
    JavaStreamingContext context = run.getOrCreate();
    context.start();
    Throwable failed;
    try {
      awaitCount(sink, 6L * first.size());
      kafka.deleteTopic("recreated");
      kafka.createTopic("recreated", 1);
      send(bootstrap(), "recreated", 0, offsetLines(random, 5));
      failed = awaitFailure(context);
    } finally {
      context.stop(true, false);
    }

    assertThat(failed)
        .isInstanceOf(DataLossException.class)
        .message()
        .satisfiesAnyOf(
            m -> assertThat(m).startsWith("topic recreated no longer exists at " + bootstrap()),
            m -> assertThat(m).startsWith("topic recreated is not the one the job counts"));
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(first.iterator()));
    assertThat(savedOffsets()).isEqualTo(Map.of(new TopicPartition("recreated", 0), 20L));

    // Told to go on, the job counts the new topic from its start, on top of the old one's.
    List<String> all = new ArrayList<>(first);
    all.addAll(readAll("recreated"));
    ReportSink<VarianceReport> goingOn = newSink();
    Run continued =
        variance(
            KafkaSource.of(bootstrap(), "recreated").onDataLoss(KafkaSource.OnDataLoss.CONTINUE),
            goingOn);
    JavaStreamingContext second = continued.getOrCreate();
    second.start();
    try {
      awaitCount(goingOn, 6L * all.size());
      TimeUnit.SECONDS.sleep(2); // nothing may arrive twice
    } finally {
      second.stop(true, true);
    }
    assertExact(last(reportsOf(goingOn)).cumulative(), Tally.of(all.iterator()));
  }

  @Test
  void recordsDeletedFromAPartitionAddedWhileTheJobWasDownAreALoss() throws Exception {
    kafka.createTopic("grown", 1);
    Random random = new Random(24);
    List<String> before = offsetLines(random, 10);
    send(bootstrap(), "grown", 0, before);
    ReportSink<VarianceReport> sink = newSink();
    runUntil(variance(KafkaSource.of(bootstrap(), "grown"), sink), 6L * before.size());

    kafka
        .admin()
        .createPartitions(Map.of("grown", NewPartitions.increaseTo(2)))
        .all()
        .get(30, TimeUnit.SECONDS);
    send(bootstrap(), "grown", 1, offsetLines(random, 10));
    kafka.deleteRecords(new TopicPartition("grown", 1), 4);

    assertThatThrownBy(() -> runOnce(KafkaSource.of(bootstrap(), "grown")))
        .isInstanceOf(DataLossException.class)
        .hasMessageEndingWith("grown-1 offsets 0 to 3 (4 records)");
    assertThat(savedOffsets()).isEqualTo(Map.of(new TopicPartition("grown", 0), 10L));
  }

  @Test
  void aJobStartedAtTheLatestOffsetsKeepsItsStartThoughItStopsBeforeItsFirstBatch()
      throws Exception {
    kafka.createTopic("late", 1);
    Random random = new Random(25);
    send(bootstrap(), "late", 0, offsetLines(random, 10)); // before the start: never counted
    KafkaSource latest =
        KafkaSource.of(bootstrap(), "late").startingAt(KafkaSource.StartingOffsets.LATEST);

    JavaStreamingContext neverStarted = variance(latest, newSink()).getOrCreate();
    neverStarted.stop(true, false); // as a kill before the first batch would

    List<String> sent = offsetLines(random, 20);
    send(bootstrap(), "late", 0, sent);
    ReportSink<VarianceReport> sink = newSink();
    List<VarianceReport> reports = runUntil(variance(latest, sink), 6L * sent.size());

    assertExact(last(reports).cumulative(), Tally.of(sent.iterator()));
  }

  @Test
  void aJobWithoutStateKeepsTheOffsetsOfABatchWhoseOutputFailed() throws Exception {
    kafka.createTopic("outputs", 1);
    TopicPartition partition = new TopicPartition("outputs", 0);
    send(bootstrap(), "outputs", 0, List.of("a", "b", "c"));
    // An output that fails on the batch holding "fail", followed by the operation that saves the
    // offsets: Spark runs it all the same, and it must not save.
    Pipeline failing =
        lines ->
            lines.foreachRDD(
                rdd -> {
                  if (rdd.collect().contains("fail")) {
                    throw new IllegalStateException("the output of this batch failed");
                  }
                });
    JavaStreamingContext context =
        JobContext.getOrCreate("echo", settings(KafkaSource.of(bootstrap(), "outputs")), failing)
            .streaming();
    context.start();
    Throwable failed;
    try {
      awaitSaved(partition, 3);
      send(bootstrap(), "outputs", 0, List.of("fail"));
      failed = awaitFailure(context);
      TimeUnit.SECONDS.sleep(1); // a save behind the failure would land now
    } finally {
      context.stop(true, false);
    }

    assertThat(failed).hasMessageContaining("the output of this batch failed");
    assertThat(savedOffsets())
        .as("the failed batch's offsets are not saved: a restart reads it again")
        .isEqualTo(Map.of(partition, 3L));
  }

  @Test
  void anotherClusterIsRefusedWhateverTheDataLossPolicy() throws Exception {
    kafka.createTopic("moved", 1);
    List<String> lines = offsetLines(new Random(27), 5);
    send(bootstrap(), "moved", 0, lines);
    runUntil(variance(KafkaSource.of(bootstrap(), "moved"), newSink()), 6L * lines.size());
    // The checkpoint as a job on another cluster, with the same topic name, would have left it.
    StateStore<Serializable> store = new StateStore<>(checkpoint.toString(), JobStates.CODECS);
    StateStore.Saved<Serializable> saved = store.load().orElseThrow();
    CheckpointIdentity there = saved.identity();
    store.save(
        new StateStore.Saved<>(
            saved.state(),
            saved.offsets(),
            saved.lostRecords(),
            new CheckpointIdentity(there.job(), there.topic(), "another-cluster", there.topicId()),
            saved.lastBatch()));
    byte[] kept = java.nio.file.Files.readAllBytes(checkpoint.resolve(StateStore.FILE));

    String refused =
        bootstrap()
            + " is Kafka cluster "
            + there.clusterId()
            + ", not the another-cluster whose topic moved the checkpoint in "
            + checkpoint
            + " counts (it read it up to moved-0 offset 5): give the --bootstrap-server of that"
            + " cluster to go on counting it, or another --checkpoint directory to count this"
            + " one's (a cluster that lost its data and was made anew is another cluster)";
    assertThatThrownBy(() -> runOnce(KafkaSource.of(bootstrap(), "moved")))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(DataLossException.class)
        .hasMessage(refused);
    // Not even told to go on: back on the first cluster, it would count its records twice.
    assertThatThrownBy(
            () ->
                runOnce(
                    KafkaSource.of(bootstrap(), "moved")
                        .onDataLoss(KafkaSource.OnDataLoss.CONTINUE)))
        .hasMessage(refused);
    assertThat(java.nio.file.Files.readAllBytes(checkpoint.resolve(StateStore.FILE)))
        .isEqualTo(kept);
  }

  @Test
  void aLogCutShorterThanTheSavedOffsetsIsALossUnlessToldToGoOn() throws Exception {
    kafka.createTopic("cut", 1);
    Random random = new Random(28);
    List<String> first = offsetLines(random, 10);
    send(bootstrap(), "cut", 0, first);
    runUntil(variance(KafkaSource.of(bootstrap(), "cut"), newSink()), 6L * first.size());
    // What an unclean leader election leaves: the log now ends at 10, below the 15 the job read.
    StateStore<Serializable> store = new StateStore<>(checkpoint.toString(), JobStates.CODECS);
    StateStore.Saved<Serializable> saved = store.load().orElseThrow();
    TopicPartition partition = new TopicPartition("cut", 0);
    store.save(
        new StateStore.Saved<>(
            saved.state(),
            Map.of(partition, 15L),
            saved.lostRecords(),
            saved.identity(),
            saved.lastBatch()));

    assertThatThrownBy(() -> runOnce(KafkaSource.of(bootstrap(), "cut")))
        .isInstanceOf(DataLossException.class)
        .hasMessage(
            "cut-0 ends at offset 10, below the 15 the job has read up to: the log was truncated"
                + " (an unclean leader election, or the broker's data lost), and what was written"
                + " past its end never reached the job");
    assertThat(savedOffsets()).isEqualTo(Map.of(partition, 15L));

    // Told to go on, it reads on from the log's end: what is written there from then on counts.
    ReportSink<VarianceReport> sink = newSink();
    JavaStreamingContext context =
        variance(
                KafkaSource.of(bootstrap(), "cut").onDataLoss(KafkaSource.OnDataLoss.CONTINUE),
                sink)
            .getOrCreate();
    context.start();
    List<String> after = offsetLines(random, 3);
    try {
      TimeUnit.SECONDS.sleep(3); // its first batches find the log cut and go on from its end
      send(bootstrap(), "cut", 0, after);
      awaitCount(sink, 6L * (first.size() + after.size()));
      TimeUnit.SECONDS.sleep(2); // nothing may arrive twice
    } finally {
      context.stop(true, true);
    }
    List<String> all = new ArrayList<>(first);
    all.addAll(after);
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(all.iterator()));
    assertThat(savedOffsets()).isEqualTo(Map.of(partition, 13L));
  }

  @Test
  void aCheckpointOfRelease010IsResumedExactlyAndLearnsWhatItCounts() throws Exception {
    kafka.createTopic("legacy", 1);
    List<String> counted = StateStoreTest.legacyLines(); // what the release's state counts
    List<String> more = offsetLines(new Random(26), 10);
    send(bootstrap(), "legacy", 0, counted);
    send(bootstrap(), "legacy", 0, more);
    for (String file : List.of(StateStore.FILE, "streamlab-job.properties")) {
      try (var in = OperatorActionsTest.class.getResourceAsStream("release-0.1.0/" + file)) {
        java.nio.file.Files.copy(in, checkpoint.resolve(file));
      }
    }
    // Released as 0.1.0, it is another build than this one: its state is read all the same.
    java.nio.file.Path marker = checkpoint.resolve("streamlab-job.properties");
    java.nio.file.Files.writeString(
        marker,
        java.nio.file.Files.readString(marker).replace("version=0.1.0-SNAPSHOT", "version=0.1.0"));

    ReportSink<VarianceReport> sink = newSink();
    List<VarianceReport> reports =
        runUntil(variance(KafkaSource.of(bootstrap(), "legacy"), sink), 30 + 6L * more.size());

    List<String> all = new ArrayList<>(counted);
    all.addAll(more);
    assertExact(last(reports).cumulative(), Tally.of(all.iterator()));
    assertThat(
            StateStore.formatOf(
                java.nio.file.Files.readAllBytes(checkpoint.resolve(StateStore.FILE))))
        .as("rewritten in the current format")
        .isEqualTo(StateStore.FORMAT);
    CheckpointIdentity identity =
        new StateStore<Serializable>(checkpoint.toString(), JobStates.CODECS)
            .load()
            .orElseThrow()
            .identity();
    assertThat(identity)
        .as("recorded by the first run that resumes it")
        .isEqualTo(
            new CheckpointIdentity(
                "variance",
                "legacy",
                kafka.admin().describeCluster().clusterId().get(30, TimeUnit.SECONDS),
                kafka
                    .admin()
                    .describeTopics(Set.of("legacy"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("legacy")
                    .topicId()
                    .toString()));
  }

  // --- helpers ---

  private static String bootstrap() {
    return kafka.bootstrapServers();
  }

  private JobSettings settings(KafkaSource source) {
    return JobSettings.of(Source.kafka(source))
        .master("local[2]")
        .checkpointDir(checkpoint.toString());
  }

  private Run variance(KafkaSource source, ReportSink<VarianceReport> sink) {
    return new Run(WindowSettings.of(settings(source)), sink);
  }

  /** Starts the variance job on the checkpoint and waits for it to fail; rethrows the failure. */
  private void runOnce(KafkaSource source) throws Throwable {
    JavaStreamingContext context = variance(source, newSink()).getOrCreate();
    context.start();
    try {
      throw awaitFailure(context);
    } finally {
      context.stop(true, false);
    }
  }

  private static List<VarianceReport> runUntil(Run run, long count) throws Exception {
    JavaStreamingContext context = run.getOrCreate();
    context.start();
    try {
      awaitCount(run.sink(), count);
      TimeUnit.SECONDS.sleep(2); // a few more batches: nothing may arrive twice
    } finally {
      context.stop(true, true);
    }
    return reportsOf(run.sink());
  }

  /** The failure that ends {@code context}, within 60 s. */
  private static Throwable awaitFailure(JavaStreamingContext context) throws InterruptedException {
    try {
      if (!context.awaitTerminationOrTimeout(60 * SECONDS)) {
        throw new AssertionError("the job did not fail within 60 s");
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the job ended without a failure");
  }

  /** Waits until the saved offset of {@code partition} is {@code offset}, within 60 s. */
  private void awaitSaved(TopicPartition partition, long offset) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!new StateStore<Serializable>(checkpoint.toString(), JobStates.CODECS)
        .load()
        .map(saved -> Long.valueOf(offset).equals(saved.offsets().get(partition)))
        .orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(partition + " not saved at offset " + offset + " within 60 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private Map<TopicPartition, Long> savedOffsets() {
    return new StateStore<Serializable>(checkpoint.toString(), JobStates.CODECS)
        .load()
        .orElseThrow()
        .offsets();
  }

  /** Every value of partition 0 of {@code topic}, read with a consumer of its own. */
  private static List<String> readAll(String topic) {
    Map<String, Object> config =
        Map.of(
            org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    TopicPartition partition = new TopicPartition(topic, 0);
    List<String> values = new ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
            config,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
