package dev.streamlab.jobs.kafka;

import static dev.streamlab.jobs.VarianceRuns.assertExact;
import static dev.streamlab.jobs.VarianceRuns.awaitCount;
import static dev.streamlab.jobs.VarianceRuns.last;
import static dev.streamlab.jobs.VarianceRuns.newSink;
import static dev.streamlab.jobs.VarianceRuns.offsetLines;
import static dev.streamlab.jobs.VarianceRuns.producer;
import static dev.streamlab.jobs.VarianceRuns.reportsOf;
import static dev.streamlab.jobs.VarianceRuns.send;
import static dev.streamlab.jobs.VarianceRuns.sendBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.VarianceRuns.Run;
import dev.streamlab.jobs.VarianceState;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variance job on topics written the ordinary ways that Kafka allows, on a real broker: records
 * without a value, transactions that commit and abort, a compacted topic, partitions added while
 * the job runs, and records deleted before the job read them.
 */
class RealTopicsTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @TempDir Path checkpoint;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void recordsWithoutAValueAreCountedAsEmptyAndInvalidUtf8IsARejectedToken() throws Exception {
    List<byte[]> records = new ArrayList<>();
    records.add("1 2 3".getBytes(StandardCharsets.UTF_8));
    records.add(null); // a tombstone
    records.add(new byte[0]);
    records.add("4 x 5".getBytes(StandardCharsets.UTF_8));
    records.add(null);
    records.add("   ".getBytes(StandardCharsets.UTF_8)); // blank, not empty
    records.add(new byte[] {'6', ' ', (byte) 0xc3, '(', ' ', '7'}); // invalid UTF-8: one token
    sendBytes(bootstrap(), "nulls", records);

    Tally result = runUntil(KafkaSource.of(bootstrap(), "nulls"), 7).cumulative();

    assertExact(result, new Tally(Stats.of(1, 2, 3, 4, 5, 6, 7), 2, 3));
  }

  @Test
  void onlyCommittedTransactionsAreCountedAndNoBatchWaitsOnAMarker() throws Exception {
    Random random = new Random(5);
    List<String> committed = new ArrayList<>();
    try (KafkaProducer<String, String> producer = transactional("tx-1")) {
      committed.addAll(transaction(producer, "transactions", offsetLines(random, 50), true));
      transaction(producer, "transactions", offsetLines(random, 30), false);
      committed.addAll(transaction(producer, "transactions", offsetLines(random, 20), true));
    }
    ReportSink<VarianceReport> sink = newSink();
    JavaStreamingContext context =
        settings(KafkaSource.of(bootstrap(), "transactions"), sink).getOrCreate();
    context.start();
    try {
      awaitCount(sink, 6L * committed.size());
      // While the job runs: every batch's range now ends on a commit or an abort marker.
      try (KafkaProducer<String, String> producer = transactional("tx-2")) {
        for (int i = 0; i < 5; i++) {
          transaction(producer, "transactions", offsetLines(random, 7), false);
          committed.addAll(transaction(producer, "transactions", offsetLines(random, 3), true));
          TimeUnit.MILLISECONDS.sleep(300);
        }
      }
      awaitCount(sink, 6L * committed.size());
      TimeUnit.SECONDS.sleep(2); // a few more batches: nothing aborted may arrive late
    } finally {
      context.stop(true, true);
    }
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(committed.iterator()));
  }

  @Test
  void readUncommittedCountsTheRecordsOfAbortedTransactionsToo() throws Exception {
    Random random = new Random(6);
    List<String> all = new ArrayList<>();
    try (KafkaProducer<String, String> producer = transactional("tx-3")) {
      all.addAll(transaction(producer, "uncommitted", offsetLines(random, 10), true));
      all.addAll(transaction(producer, "uncommitted", offsetLines(random, 10), false));
    }
    KafkaSource source =
        KafkaSource.of(bootstrap(), "uncommitted").reading(KafkaSource.Isolation.READ_UNCOMMITTED);

    assertExact(runUntil(source, 6L * all.size()).cumulative(), Tally.of(all.iterator()));
  }

  @Test
  void aCompactedTopicIsReadThroughItsGaps() throws Exception {
    kafka
        .admin()
        .createTopics(
            Set.of(
                new NewTopic("compacted", 1, (short) 1)
                    .configs(
                        Map.of(
                            "cleanup.policy", "compact",
                            "segment.ms", "100",
                            "min.cleanable.dirty.ratio", "0.01",
                            "min.compaction.lag.ms", "0"))))
        .all()
        .get(30, TimeUnit.SECONDS);
    Random random = new Random(9);
    List<String> kept = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(bootstrap(), Map.of())) {
      for (int round = 0; round < 2; round++) { // the second round replaces every key's line
        List<String> lines = offsetLines(random, 20);
        for (int key = 0; key < lines.size(); key++) {
          producer.send(new ProducerRecord<>("compacted", "key-" + key, lines.get(key))).get();
        }
        kept = lines;
        TimeUnit.MILLISECONDS.sleep(200); // the next record starts a new segment
      }
      String last = offsetLines(random, 1).get(0);
      producer.send(new ProducerRecord<>("compacted", "last", last)).get();
      kept = new ArrayList<>(kept);
      kept.add(last);
    }
    awaitCompaction("compacted", kept.size());

    VarianceReport report = runUntil(KafkaSource.of(bootstrap(), "compacted"), 6L * kept.size());

    assertExact(report.cumulative(), Tally.of(kept.iterator()));
  }

  @Test
  void partitionsAddedWhileTheJobRunsAreReadFromTheirStartAndResumed() throws Exception {
    kafka.createTopic("growing", 1);
    Random random = new Random(7);
    List<String> all = new ArrayList<>();
    ReportSink<VarianceReport> sink = newSink();
    Run settings = settings(KafkaSource.of(bootstrap(), "growing"), sink);
    JavaStreamingContext first = settings.getOrCreate();
    first.start();
    try {
      all.addAll(sendTo("growing", 0, offsetLines(random, 20)));
      awaitCount(sink, 6L * all.size());
      kafka
          .admin()
          .createPartitions(Map.of("growing", NewPartitions.increaseTo(3)))
          .all()
          .get(30, TimeUnit.SECONDS);
      all.addAll(sendTo("growing", 1, offsetLines(random, 20)));
      all.addAll(sendTo("growing", 2, offsetLines(random, 20)));
      awaitCount(sink, 6L * all.size());
    } finally {
      first.stop(true, true);
    }
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(all.iterator()));

    // The new partitions' offsets were saved with the state: a restart reads on from them.
    all.addAll(sendTo("growing", 2, offsetLines(random, 10)));
    JavaStreamingContext second = settings.getOrCreate();
    second.start();
    try {
      awaitCount(sink, 6L * all.size());
      TimeUnit.SECONDS.sleep(2); // a few more batches: nothing may arrive twice
    } finally {
      second.stop(true, true);
    }
    assertExact(last(reportsOf(sink)).cumulative(), Tally.of(all.iterator()));
  }

  @Test
  void recordsDeletedBeforeTheJobReadThemStopItUnlessToldToGoOn() throws Exception {
    kafka.createTopic("retention", 1);
    Random random = new Random(8);
    List<String> read = offsetLines(random, 30);
    send(bootstrap(), "retention", 0, read);
    Run settings = settings(KafkaSource.of(bootstrap(), "retention"), newSink());
    runUntil(settings, 6L * read.size());

    List<String> later = offsetLines(random, 20); // offsets 30 to 49, of which 30 to 39 go
    send(bootstrap(), "retention", 0, later);
    TopicPartition partition = new TopicPartition("retention", 0);
    kafka.deleteRecords(partition, 40);

    JavaStreamingContext failing = settings.getOrCreate();
    failing.start();
    try {
      assertThatThrownBy(() -> failing.awaitTerminationOrTimeout(60_000))
          .isInstanceOf(DataLossException.class)
          .hasMessage(
              "10 records were deleted from the topic before the job read them (retention or"
                  + " deleteRecords): retention-0 offsets 30 to 39 (10 records)")
          .satisfies(
              e ->
                  assertThat(((DataLossException) e).lost())
                      .containsExactly(new LostRecords("retention", 0, 30, 40)));
    } finally {
      failing.stop(true, false);
    }
    assertThat(
            new StateStore<VarianceState>(checkpoint.toString(), JobStates.CODECS)
                .load()
                .orElseThrow()
                .offsets())
        .as("the failed start saved nothing")
        .isEqualTo(Map.of(partition, 30L));

    ReportSink<VarianceReport> sink = newSink();
    Run goingOn =
        settings(
            KafkaSource.of(bootstrap(), "retention").onDataLoss(KafkaSource.OnDataLoss.CONTINUE),
            sink);
    List<String> kept = new ArrayList<>(read);
    kept.addAll(later.subList(10, 20));
    List<VarianceReport> reports = runUntil(goingOn, 6L * kept.size());

    assertExact(last(reports).cumulative(), Tally.of(kept.iterator()));
    assertThat(last(reports).lostRecords()).isEqualTo(10);
    assertThat(reports.stream().flatMap(report -> report.lostInBatch().stream()))
        .containsExactly(new LostRecords("retention", 0, 30, 40));
  }

  // --- helpers ---

  private static String bootstrap() {
    return kafka.bootstrapServers();
  }

  private Run settings(KafkaSource source, ReportSink<VarianceReport> sink) {
    return new Run(
        WindowSettings.of(
            JobSettings.of(Source.kafka(source))
                .master("local[2]")
                .checkpointDir(checkpoint.toString())),
        sink);
  }

  private VarianceReport runUntil(KafkaSource source, long count) throws Exception {
    return last(runUntil(settings(source, newSink()), count));
  }

  /** Runs the job until it has counted {@code count} numbers, then a little more; its reports. */
  private static List<VarianceReport> runUntil(Run settings, long count) throws Exception {
    JavaStreamingContext context = settings.getOrCreate();
    context.start();
    try {
      awaitCount(settings.sink(), count);
      TimeUnit.SECONDS.sleep(2); // a few more batches: nothing may arrive twice
    } finally {
      context.stop(true, true);
    }
    return reportsOf(settings.sink());
  }

  /** Waits, at most 60 s, until the log cleaner has left {@code records} records in the topic. */
  private static void awaitCompaction(String topic, int records) throws InterruptedException {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int found = -1;
    while (System.nanoTime() < deadline) {
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        found = 0;
        while (consumer.position(partition) < end) {
          found += consumer.poll(Duration.ofMillis(200)).count();
        }
      }
      if (found == records) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("the log cleaner left " + found + " records, not " + records);
  }

  private static List<String> sendTo(String topic, int partition, List<String> lines) {
    send(bootstrap(), topic, partition, lines);
    return lines;
  }

  private static KafkaProducer<String, String> transactional(String id) {
    KafkaProducer<String, String> producer =
        producer(bootstrap(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
    producer.initTransactions();
    return producer;
  }

  /** Sends {@code lines} in one transaction, committed or aborted; returns them. */
  private static List<String> transaction(
      KafkaProducer<String, String> producer, String topic, List<String> lines, boolean commit) {
    producer.beginTransaction();
    for (String line : lines) {
      producer.send(new ProducerRecord<>(topic, line));
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.flush(); // on the broker, then aborted
      producer.abortTransaction();
    }
    return lines;
  }
}
