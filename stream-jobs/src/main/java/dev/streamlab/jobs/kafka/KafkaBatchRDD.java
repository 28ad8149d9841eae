package dev.streamlab.jobs.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.OffsetRange;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One batch of a {@link KafkaTopicStream}: the records of its offset ranges, a partition of the RDD
 * for each range that is not empty, each read by a {@link PartitionReader}. Its {@link
 * #offsetRanges()} are the ranges it reads, as Spark's {@code KafkaRDD} gives them; {@link #plan()}
 * says what else the planner found: records deleted before this batch could read them, logs read on
 * from elsewhere (when the source goes on after a loss), partitions standing still.
 */
final class KafkaBatchRDD extends RDD<ConsumerRecord<String, String>> implements HasOffsetRanges {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final ClassTag<ConsumerRecord<String, String>> RECORD =
      (ClassTag) ClassTag$.MODULE$.apply(ConsumerRecord.class);

  /** A partition of the RDD: one offset range. */
  private record RangePartition(int index, OffsetRange range) implements Partition {
    private static final long serialVersionUID = 1L;
  }

  /**
   * An executor, as Spark's scheduler names it in a preferred location: {@code
   * executor_<host>_<id>}, the form of its {@code ExecutorCacheTaskLocation}.
   */
  record Executor(String host, String id) implements Comparable<Executor> {

    String location() {
      return "executor_" + host + "_" + id;
    }

    @Override
    public int compareTo(Executor other) {
      int byHost = host.compareTo(other.host);
      return byHost != 0 ? byHost : id.compareTo(other.id);
    }
  }

  private final String streamId;
  private final HashMap<String, Object> readerConfig;
  private final int cacheCapacity;
  private final OffsetRange[] ranges;
  private final BatchPlanner.Plan plan;

  /**
   * @param cacheCapacity how many idle consumers each executor keeps ({@link ConsumerCache})
   */
  KafkaBatchRDD(
      SparkContext context,
      String streamId,
      Map<String, Object> readerConfig,
      int cacheCapacity,
      BatchPlanner.Plan plan) {
    super(context, JavaConverters.asScalaBuffer(new ArrayList<Dependency<?>>()).toSeq(), RECORD);
    this.streamId = streamId;
    this.readerConfig = new HashMap<>(readerConfig);
    this.cacheCapacity = cacheCapacity;
    this.ranges = plan.ranges().toArray(OffsetRange[]::new);
    this.plan = plan;
  }

  @Override
  public OffsetRange[] offsetRanges() {
    return ranges.clone();
  }

  /** The plan of this batch: its ranges, and what was found on the way. */
  BatchPlanner.Plan plan() {
    return plan;
  }

  /**
   * The plan of {@code batch}, a batch of a {@link KafkaTopicStream}.
   *
   * @throws IllegalArgumentException when it is another RDD
   */
  static BatchPlanner.Plan planOf(JavaRDD<?> batch) {
    if (batch.rdd() instanceof KafkaBatchRDD kafka) {
      return kafka.plan;
    }
    throw new IllegalArgumentException("not a batch of a Kafka topic stream: " + batch.rdd());
  }

  @Override
  public Partition[] getPartitions() {
    List<Partition> partitions = new ArrayList<>();
    for (OffsetRange range : ranges) {
      if (range.count() > 0) {
        partitions.add(new RangePartition(partitions.size(), range));
      }
    }
    return partitions.toArray(Partition[]::new);
  }

  @Override
  public scala.collection.Iterator<ConsumerRecord<String, String>> compute(
      Partition split, TaskContext context) {
    OffsetRange range = ((RangePartition) split).range();
    return JavaConverters.asScalaIterator(
        PartitionReader.read(streamId, readerConfig, range, cacheCapacity, context));
  }

  /**
   * Where a range is best read: the same executor for a partition batch after batch, so that its
   * kept consumer goes on without a new connection or a seek. As Spark's {@code KafkaRDD} does
   * ({@code PreferConsistent}): the executors in a fixed order, the partition's hash picks one. A
   * preference, not a rule: Spark runs the task elsewhere when that executor is busy or gone. None
   * in local mode, where the driver is the only executor.
   */
  @Override // an immutable Seq: Scala 2.13's Seq, and a Seq of Scala 2.12's (one source for both)
  public scala.collection.immutable.Seq<String> getPreferredLocations(Partition split) {
    OffsetRange range = ((RangePartition) split).range();
    return JavaConverters.asScalaBuffer(
            preferredLocation(range.topicPartition(), executors()).stream().toList())
        .toList();
  }

  /** The location of the executor that reads {@code partition}, of {@code executors}. */
  static Optional<String> preferredLocation(TopicPartition partition, List<Executor> executors) {
    if (executors.isEmpty()) {
      return Optional.empty();
    }
    List<Executor> ordered = executors.stream().sorted().toList();
    return Optional.of(ordered.get(Math.floorMod(partition.hashCode(), ordered.size())).location());
  }

  /**
   * The executors of this application, from the block manager's master, as {@code KafkaRDD} finds
   * them (the driver's own block manager is not among its peers); none if Spark cannot say.
   */
  private static List<Executor> executors() {
    try {
      BlockManager blocks = SparkEnv.get().blockManager();
      List<Executor> executors = new ArrayList<>();
      for (BlockManagerId peer :
          JavaConverters.seqAsJavaList(blocks.master().getPeers(blocks.blockManagerId()))) {
        executors.add(new Executor(peer.host(), peer.executorId()));
      }
      return executors;
    } catch (RuntimeException e) {
      return List.of(); // no preference: the scheduler places the task as it likes
    }
  }
}
