package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.VarianceRuns;
import dev.streamlab.testkit.EmbeddedKafka;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BatchPlanner} without Spark, against a real broker: which offsets each batch reads, how a
 * limit cuts them, and what it finds on the way (a partition added, records deleted, an open
 * transaction, a broker that does not answer).
 */
class BatchPlannerTest {

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final UnaryOperator<Map<TopicPartition, Long>> NO_LIMIT = behind -> Map.of();

  private final List<BatchPlanner> planners = new ArrayList<>();

  @AfterEach
  void closePlanners() {
    planners.forEach(BatchPlanner::close);
  }

  @Test
  void eachPartitionIsReadFromItsSavedOffsetToItsEndAndAPartitionAddedFromZero() throws Exception {
    String topic = "plan-ranges";
    kafka.createTopic(topic, 2);
    send(topic, 0, 5);
    send(topic, 1, 3);
    BatchPlanner planner = planner(KafkaSource.of(bootstrap(), topic), Map.of(tp(topic, 0), 2L));

    assertThat(planner.next(NO_LIMIT).ranges())
        .containsExactly(range(topic, 0, 2, 5), range(topic, 1, 0, 3));
    assertThat(planner.next(NO_LIMIT).ranges())
        .containsExactly(range(topic, 0, 5, 5), range(topic, 1, 3, 3));

    kafka.admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
    send(topic, 2, 2);
    send(topic, 0, 1);
    assertThat(planner.next(NO_LIMIT).ranges())
        .containsExactly(range(topic, 0, 5, 6), range(topic, 1, 3, 3), range(topic, 2, 0, 2));
  }

  @Test
  void aLimitCutsWhatAPartitionReadsAndTheNextBatchGoesOnFromThere() throws Exception {
    String topic = "plan-limit";
    kafka.createTopic(topic, 2);
    send(topic, 0, 5);
    send(topic, 1, 3);
    BatchPlanner planner = planner(KafkaSource.of(bootstrap(), topic), Map.of());
    List<Map<TopicPartition, Long>> asked = new ArrayList<>();
    UnaryOperator<Map<TopicPartition, Long>> twoFromPartition0 =
        behind -> {
          asked.add(Map.copyOf(behind));
          return Map.of(tp(topic, 0), 2L);
        };

    BatchPlanner.Plan first = planner.next(twoFromPartition0);
    assertThat(first.ranges()).containsExactly(range(topic, 0, 0, 2), range(topic, 1, 0, 3));
    // What the limit left is the lag: partition 0 is 3 records behind once the batch is read.
    assertThat(first.lag())
        .containsExactly(new PartitionLag(topic, 0, 2, 5, 5), new PartitionLag(topic, 1, 3, 3, 3));
    assertThat(PartitionLag.behind(first.lag())).isEqualTo(3);
    BatchPlanner.Plan second = planner.next(twoFromPartition0);
    assertThat(second.ranges()).containsExactly(range(topic, 0, 2, 4), range(topic, 1, 3, 3));
    assertThat(PartitionLag.behind(second.lag())).isEqualTo(1);

    assertThat(asked)
        .containsExactly(
            Map.of(tp(topic, 0), 5L, tp(topic, 1), 3L), Map.of(tp(topic, 0), 3L, tp(topic, 1), 0L));
  }

  @Test
  void recordsDeletedBeforeTheyWereReadFailTheBatchAndLeaveThePlannerAsItWas() throws Exception {
    String topic = "plan-deleted";
    kafka.createTopic(topic, 1);
    send(topic, 0, 6);
    kafka.deleteRecords(tp(topic, 0), 4);
    BatchPlanner planner = planner(KafkaSource.of(bootstrap(), topic), Map.of(tp(topic, 0), 1L));

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> planner.next(NO_LIMIT))
          .isInstanceOf(DataLossException.class)
          .hasMessageContaining("plan-deleted-0 offsets 1 to 3 (3 records)");
    }
  }

  @Test
  void goingOnPastDeletedRecordsReadsFromTheEarliestAndSaysWhatWasLost() throws Exception {
    String topic = "plan-deleted-continue";
    kafka.createTopic(topic, 1);
    send(topic, 0, 6);
    kafka.deleteRecords(tp(topic, 0), 4);
    BatchPlanner planner =
        planner(
            KafkaSource.of(bootstrap(), topic).onDataLoss(KafkaSource.OnDataLoss.CONTINUE),
            Map.of(tp(topic, 0), 1L));

    BatchPlanner.Plan plan = planner.next(NO_LIMIT);

    assertThat(plan.ranges()).containsExactly(range(topic, 0, 4, 6));
    assertThat(plan.lost()).containsExactly(new LostRecords(topic, 0, 1, 4));
    assertThat(planner.takeNotices())
        .singleElement()
        .satisfies(
            notice -> {
              assertThat(notice.kind()).isEqualTo(KafkaNotice.Kind.RESET);
              assertThat(notice.line()).startsWith("3 records were deleted from the topic");
            });
    assertThat(planner.next(NO_LIMIT).lost()).isEmpty();
  }

  @Test
  void anOpenTransactionEndsTheRangeWhereItBeganAndIsSaidOnceAndWhenItMoves() throws Exception {
    String topic = "plan-open-transaction";
    kafka.createTopic(topic, 1);
    send(topic, 0, 2); // offsets 0, 1
    try (KafkaProducer<String, String> open =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "plan-open"))) {
      open.initTransactions();
      open.beginTransaction();
      open.send(new ProducerRecord<>(topic, 0, null, "held")).get(); // offset 2
      send(topic, 0, 3); // offsets 3 to 5, committed, behind the open transaction
      BatchPlanner planner =
          new BatchPlanner(
              KafkaSource.of(bootstrap(), topic), Map.of(), null, TIMEOUT, Duration.ZERO);
      planners.add(planner);

      BatchPlanner.Plan held = planner.next(NO_LIMIT);
      assertThat(held.ranges()).containsExactly(range(topic, 0, 0, 2));
      // Nothing the job may read is left; the open transaction holds back 4 offsets past it.
      assertThat(held.lag()).containsExactly(new PartitionLag(topic, 0, 2, 2, 6));
      assertThat(held.lag().get(0).behind()).isZero();
      assertThat(held.lag().get(0).heldBack()).isEqualTo(4);
      assertThat(held.stalls())
          .singleElement()
          .satisfies(
              stall -> {
                assertThat(stall.cause()).isEqualTo(KafkaStall.Cause.OPEN_TRANSACTION);
                assertThat(stall.offset()).isEqualTo(2);
                assertThat(stall.heldBack()).isEqualTo(4);
              });
      assertThat(planner.takeNotices())
          .extracting(KafkaNotice::kind)
          .containsExactly(KafkaNotice.Kind.STALLED);
      assertThat(planner.next(NO_LIMIT).ranges()).containsExactly(range(topic, 0, 2, 2));
      assertThat(planner.takeNotices()).isEmpty(); // said once

      open.commitTransaction(); // its marker at 6, written by the coordinator soon after
      List<OffsetRange> read = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.stream().mapToLong(OffsetRange::untilOffset).max().orElse(2) < 7
          && System.nanoTime() < deadline) {
        read.addAll(planner.next(NO_LIMIT).ranges());
      }
      assertThat(read).last().isEqualTo(range(topic, 0, 2, 7)); // empty ranges at 2 until then
      assertThat(read).allSatisfy(range -> assertThat(range.fromOffset()).isEqualTo(2));
      assertThat(planner.takeNotices())
          .extracting(KafkaNotice::kind)
          .containsExactly(KafkaNotice.Kind.MOVING);
    }
  }

  @Test
  void aBrokerThatDoesNotAnswerMakesAnEmptyBatchAndTheNextOneAsksAgain() throws Exception {
    int nobody;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobody = socket.getLocalPort(); // closed again: nothing listens there
    }
    BatchPlanner planner =
        new BatchPlanner(
            KafkaSource.of("127.0.0.1:" + nobody, "plan-away"),
            Map.of(),
            null,
            Duration.ofMillis(300),
            Duration.ofSeconds(10));
    planners.add(planner);

    assertThat(planner.next(NO_LIMIT)).isSameAs(BatchPlanner.Plan.NOTHING);
    assertThat(planner.next(NO_LIMIT)).isSameAs(BatchPlanner.Plan.NOTHING);
    assertThat(planner.takeNotices()).isEmpty();
  }

  private BatchPlanner planner(KafkaSource source, Map<TopicPartition, Long> resumeFrom) {
    BatchPlanner planner =
        new BatchPlanner(source, new HashMap<>(resumeFrom), null, TIMEOUT, Duration.ofMinutes(5));
    planners.add(planner);
    return planner;
  }

  /** Sends {@code count} records to one partition, committed. */
  private static void send(String topic, int partition, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, null, String.valueOf(i))).get();
      }
    }
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    return VarianceRuns.producer(bootstrap(), extra);
  }

  private static TopicPartition tp(String topic, int partition) {
    return new TopicPartition(topic, partition);
  }

  private static OffsetRange range(String topic, int partition, long from, long until) {
    return OffsetRange.create(topic, partition, from, until);
  }

  private static String bootstrap() {
    return kafka.bootstrapServers();
  }
}
