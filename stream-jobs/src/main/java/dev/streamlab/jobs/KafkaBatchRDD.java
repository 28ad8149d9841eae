package dev.streamlab.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
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

  private final String streamId;
  private final HashMap<String, Object> readerConfig;
  private final OffsetRange[] ranges;
  private final BatchPlanner.Plan plan;

  KafkaBatchRDD(
      SparkContext context,
      String streamId,
      Map<String, Object> readerConfig,
      BatchPlanner.Plan plan) {
    super(context, JavaConverters.asScalaBuffer(new ArrayList<Dependency<?>>()).toSeq(), RECORD);
    this.streamId = streamId;
    this.readerConfig = new HashMap<>(readerConfig);
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
        PartitionReader.read(streamId, readerConfig, range, context));
  }
}
