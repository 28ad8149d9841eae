package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * Decides, on the driver, which offsets of a topic each batch reads: from where the last batch
 * ended up to what a consumer of the source's isolation level can see now (the last stable offset
 * under {@code read_committed}), partition by partition.
 *
 * <ul>
 *   <li>The topic's partitions are looked up at every batch, so a partition added while the job
 *       runs is read from its earliest record within a few batches (the consumer's metadata is
 *       refreshed every {@code metadata.max.age.ms}, set to about a batch).
 *   <li>A partition whose next offset is below its earliest one lost records to retention or {@code
 *       deleteRecords}: the planner stops with a {@link DataLossException} or, when the source says
 *       {@link KafkaSource.OnDataLoss#CONTINUE}, goes on from the earliest and says what was lost
 *       in the plan.
 *   <li>When Kafka does not answer within the timeout (a broker away), the batch reads nothing and
 *       the next one asks again: the driver never waits on Kafka for longer than that, so a broker
 *       may be away for any time without failing the job, and a stop is never held up.
 * </ul>
 *
 * <p>Not thread-safe: Spark's job generator calls it from one thread.
 */
final class BatchPlanner implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What one batch reads, and what was found lost on the way. */
  record Plan(List<OffsetRange> ranges, List<LostRecords> lost) {

    static final Plan NOTHING = new Plan(List.of(), List.of());

    /** How many offsets the batch covers (records, and the markers of transactions). */
    long offsets() {
      return ranges.stream().mapToLong(OffsetRange::count).sum();
    }
  }

  private final KafkaSource source;
  private final Duration timeout;
  private final Duration metadataMaxAge;
  private final HashMap<TopicPartition, Long> next;
  private boolean resumed;
  private transient Consumer<byte[], byte[]> consumer;

  /**
   * A planner of {@code source}'s batches, going on from {@code resumeFrom} (each partition's next
   * offset; empty for a new job).
   *
   * @param timeout how long each batch may wait for Kafka's answers before it reads nothing
   * @param metadataMaxAge how often the topic's partitions are looked up again
   */
  BatchPlanner(
      KafkaSource source,
      Map<TopicPartition, Long> resumeFrom,
      Duration timeout,
      Duration metadataMaxAge) {
    this.source = source;
    this.timeout = timeout;
    this.metadataMaxAge = metadataMaxAge;
    this.next = new HashMap<>(resumeFrom);
    this.resumed = !resumeFrom.isEmpty();
  }

  /**
   * The next batch: every partition from its next offset up to the end that the isolation level
   * sees; nothing when Kafka does not answer in time.
   *
   * @param limit given how far behind each partition is (in offsets), the most each may read in
   *     this batch; a partition it leaves out is read to its end
   * @throws DataLossException when records not read yet are gone and the source says {@link
   *     KafkaSource.OnDataLoss#FAIL}; the planner is then unchanged
   */
  Plan next(UnaryOperator<Map<TopicPartition, Long>> limit) {
    Map<TopicPartition, Long> earliest;
    Map<TopicPartition, Long> end;
    try {
      List<PartitionInfo> infos = consumer().partitionsFor(source.topic(), timeout);
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      for (TopicPartition known : next.keySet()) {
        if (!partitions.contains(known)) {
          partitions.add(known); // the metadata may lag; the saved offset still counts
        }
      }
      if (partitions.isEmpty()) {
        return Plan.NOTHING;
      }
      earliest = consumer().beginningOffsets(partitions, timeout);
      end = consumer().endOffsets(partitions, timeout);
    } catch (RetriableException e) { // a timeout, a broker away, a leader moving: ask again later
      return Plan.NOTHING;
    }

    Map<TopicPartition, Long> from = new HashMap<>();
    List<LostRecords> lost = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      TopicPartition tp = partition.getKey();
      Long first = earliest.get(tp);
      Long saved = next.get(tp);
      long start;
      if (saved != null) {
        start = saved;
      } else if (!resumed && source.startingOffsets() == KafkaSource.StartingOffsets.LATEST) {
        start = partition.getValue();
      } else {
        start = first; // the whole partition: a new job from the earliest, or a new partition
      }
      if (first != null && start < first) {
        lost.add(LostRecords.of(tp, start, first));
        start = first;
      }
      from.put(tp, start);
    }
    lost.sort(Comparator.comparing(LostRecords::topic).thenComparing(LostRecords::partition));
    if (!lost.isEmpty() && source.onDataLoss() == KafkaSource.OnDataLoss.FAIL) {
      throw new DataLossException(lost);
    }

    Map<TopicPartition, Long> behind = new HashMap<>();
    from.forEach((tp, start) -> behind.put(tp, Math.max(0, end.get(tp) - start)));
    Map<TopicPartition, Long> most = limit.apply(behind);
    List<OffsetRange> ranges = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> partition : from.entrySet()) {
      TopicPartition tp = partition.getKey();
      long start = partition.getValue();
      // A range never ends below its start: a job resumed under read_committed from offsets that
      // read_uncommitted reached waits for the last stable offset to pass them.
      long until = Math.max(start, end.get(tp));
      Long cap = most.get(tp);
      if (cap != null) {
        until = Math.min(until, saturatedAdd(start, cap));
      }
      ranges.add(OffsetRange.create(tp, start, until));
      next.put(tp, until);
    }
    ranges.sort(Comparator.comparing(OffsetRange::topic).thenComparing(OffsetRange::partition));
    resumed = true;
    return new Plan(List.copyOf(ranges), List.copyOf(lost));
  }

  /** Closes the planner's consumer; a later batch would open a new one. */
  void close() {
    if (consumer != null) {
      consumer.close(Duration.ZERO);
      consumer = null;
    }
  }

  private Consumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> config = new HashMap<>(source.consumerProperties());
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, source.isolation().kafkaName());
      config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) metadataMaxAge.toMillis());
      config.putIfAbsent(
          ConsumerConfig.CLIENT_ID_CONFIG,
          "streamlab-planner-" + source.topic() + "-" + System.identityHashCode(this));
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return consumer;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
