package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.VarianceRuns;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PartitionReader} and {@link ConsumerCache} without Spark, on a real broker: which consumer
 * reads a range (kept, new, or new for a retried task), when it seeks, where a range ends, and how
 * the cache bounds what it keeps. The consumers are Kafka's own, counted as they open, seek and
 * close.
 */
class PartitionReaderTest {

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  private static final String TOPIC = "reader";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final TopicPartition P2 = new TopicPartition(TOPIC, 2);

  private final List<Counted> opened = new ArrayList<>();
  private final AtomicLong now = new AtomicLong();
  private final ConsumerCache cache =
      new ConsumerCache(this::open, Duration.ofMinutes(5), now::get);

  @BeforeAll
  static void tenRecordsInEachOfThreePartitions() throws Exception {
    kafka.createTopic(TOPIC, 3);
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (TopicPartition partition : List.of(P0, P1, P2)) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>(TOPIC, partition.partition(), null, "r" + i)).get();
        }
      }
    }
  }

  @AfterEach
  void closeWhatIsKept() {
    cache.closeStream("s");
    cache.closeStream("t");
  }

  @Test
  void aRangeThatGoesOnWhereTheLastEndedUsesTheKeptConsumerWithoutASeek() {
    assertThat(readAll(take("s", P0, 0, 4, false))).containsExactly("r0", "r1", "r2", "r3");
    assertThat(readAll(take("s", P0, 4, 10, false)))
        .containsExactly("r4", "r5", "r6", "r7", "r8", "r9");

    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).seeks).isEqualTo(1); // to offset 0, once
  }

  @Test
  void aRangeElsewhereSeeksAndReadsExactlyItsOffsets() {
    readAll(take("s", P0, 0, 3, false));
    PartitionReader reader = take("s", P0, 6, 9, false);

    assertThat(readAll(reader)).containsExactly("r6", "r7", "r8");
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).seeks).isEqualTo(2);
  }

  @Test
  void aTaskThatStoppedMidRangeLeavesAConsumerThatSeeksNextTime() {
    PartitionReader reader = take("s", P0, 0, 10, false);
    assertThat(reader.next().value()).isEqualTo("r0");
    reader.release(true); // the task ended after one record (a take(1), a failure)

    assertThat(readAll(take("s", P0, 1, 4, false))).containsExactly("r1", "r2", "r3");
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).seeks).isEqualTo(2);
  }

  @Test
  void aRetriedTaskClosesTheKeptConsumerAndOpensItsOwn() {
    readAll(take("s", P0, 0, 5, false));

    assertThat(readAll(take("s", P0, 5, 7, true))).containsExactly("r5", "r6");

    assertThat(opened).hasSize(2);
    assertThat(opened.get(0).closed).isTrue();
    assertThat(opened.get(1).closed).isFalse();
    assertThat(cache.idleCount()).isEqualTo(1);
  }

  @Test
  void eachStreamAndPartitionHasItsOwnConsumerAndAnInterruptedTaskKeepsNone() {
    readAll(take("s", P0, 0, 2, false));
    readAll(take("t", P0, 0, 2, false));
    PartitionReader interrupted = take("s", P1, 0, 2, false);
    interrupted.next();
    interrupted.next();
    interrupted.hasNext();
    interrupted.release(false); // killed: its consumer is not kept

    assertThat(opened).hasSize(3);
    assertThat(opened.get(2).closed).isTrue();
    assertThat(cache.idleCount()).isEqualTo(2);
  }

  @Test
  void theCacheKeepsAtMostItsCapacityClosingTheConsumerIdleForLongest() {
    cache.capacity(2);
    readAll(take("s", P0, 0, 1, false));
    readAll(take("s", P1, 0, 1, false));
    readAll(take("s", P2, 0, 1, false));

    assertThat(cache.idleCount()).isEqualTo(2);
    assertThat(opened).extracting(c -> c.closed).containsExactly(true, false, false);

    cache.capacity(0); // spark.streaming.kafka.consumer.cache.enabled=false
    assertThat(cache.idleCount()).isZero();
    readAll(take("s", P0, 1, 2, false));
    assertThat(opened).hasSize(4).allMatch(c -> c.closed);
  }

  @Test
  void consumersIdleForLongerThanTheTimeoutAreClosedAndAStoppedStreamsAtOnce() {
    readAll(take("s", P0, 0, 1, false));
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    readAll(take("s", P1, 0, 1, false));
    now.addAndGet(Duration.ofMinutes(1).toNanos());

    assertThat(cache.closeIdle()).isEqualTo(1); // P0's, idle for 5 minutes
    assertThat(opened).extracting(c -> c.closed).containsExactly(true, false);

    PartitionReader inUse = take("t", P0, 0, 1, false);
    cache.closeStream("s");
    cache.closeStream("t");
    assertThat(opened.get(1).closed).isTrue();
    assertThat(opened.get(2).closed).isFalse(); // in use: its task goes on
    assertThat(inUse.next().value()).isEqualTo("r0");
    assertThat(inUse.hasNext()).isFalse();
    inUse.release(true); // its stream stopped while it read: closed, not kept
    assertThat(opened.get(2).closed).isTrue();
    assertThat(cache.idleCount()).isZero();
  }

  @Test
  void theCapacityIsSparksOwnSettingOfTheDirectStream() {
    assertThat(KafkaTopicStream.consumerCacheCapacity(new SparkConf(false))).isEqualTo(64);
    assertThat(
            KafkaTopicStream.consumerCacheCapacity(
                new SparkConf(false).set("spark.streaming.kafka.consumer.cache.maxCapacity", "3")))
        .isEqualTo(3);
    assertThat(
            KafkaTopicStream.consumerCacheCapacity(
                new SparkConf(false)
                    .set("spark.streaming.kafka.consumer.cache.maxCapacity", "3")
                    .set("spark.streaming.kafka.consumer.cache.enabled", "false")))
        .isZero();
  }

  @Test
  void aRangeEndsWhereTheConsumerPositionPassesItsEndOnTransactionMarkersAndAbortedRecords()
      throws Exception {
    String topic = "reader-transactions";
    kafka.createTopic(topic, 1);
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> producer =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-tx"))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "c0"));
      producer.send(new ProducerRecord<>(topic, "c1"));
      producer.commitTransaction(); // offsets 0, 1; the marker at 2
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a3"));
      producer.flush();
      producer.abortTransaction(); // 3 aborted; the marker at 4
    }

    // Each range ends on a marker, or holds only aborted records and a marker: none waits.
    assertThat(readAll(take("s", partition, 0, 3, false))).containsExactly("c0", "c1");
    assertThat(readAll(take("s", partition, 3, 5, false))).isEmpty();
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).seeks).isEqualTo(1);
  }

  @Test
  void recordsDeletedWhileARangeIsReadStopTheTaskSayingWhere() {
    String topic = "reader-deleted";
    kafka.createTopic(topic, 1);
    TopicPartition partition = new TopicPartition(topic, 0);
    try {
      Topics.send(bootstrap(), topic, "d0", "d1", "d2", "d3");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    kafka.deleteRecords(partition, 3);

    PartitionReader reader = take("s", partition, 1, 4, false);
    assertThatThrownBy(reader::hasNext)
        .hasMessage(
            "records of reader-deleted-0 from offset 1 were deleted (retention or deleteRecords)"
                + " while the batch read them; the job stops, and its saved offsets are unchanged");
  }

  private PartitionReader take(
      String stream, TopicPartition partition, long from, long until, boolean retry) {
    OffsetRange range = OffsetRange.create(partition, from, until);
    return cache.take(stream, config(), range, () -> {}, retry);
  }

  /** Reads the range to its end, as a task does, and gives the reader back. */
  private static List<String> readAll(PartitionReader reader) {
    List<String> values = new ArrayList<>();
    reader.forEachRemaining(record -> values.add(record.value()));
    reader.release(true);
    return values;
  }

  private Consumer<String, String> open(Map<String, Object> config) {
    Counted consumer = new Counted(config);
    opened.add(consumer);
    return consumer;
  }

  private static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return config;
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    return VarianceRuns.producer(bootstrap(), extra);
  }

  private static String bootstrap() {
    return kafka.bootstrapServers();
  }

  /** Kafka's consumer, counting its seeks and whether it was closed. */
  private static final class Counted extends KafkaConsumer<String, String> {
    int seeks;
    boolean closed;

    Counted(Map<String, Object> config) {
      super(config, new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
      seeks++;
      super.seek(partition, offset);
    }

    @Override
    public void close(Duration timeout) {
      closed = true;
      super.close(timeout);
    }
  }
}
