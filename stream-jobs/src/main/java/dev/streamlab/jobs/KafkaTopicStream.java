package dev.streamlab.jobs;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;
import org.apache.spark.rdd.RDD;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.dstream.InputDStream;
import org.apache.spark.streaming.scheduler.RateController;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.apache.spark.streaming.scheduler.rate.RateEstimator;
import scala.Option;

/**
 * A Kafka topic as a DStream of its records, every partition, batch by batch: the part of
 * spark-streaming-kafka-0-10's direct stream that this project replaces, because on topics that
 * Kafka allows it loses data or fails (docs/reliability.md).
 *
 * <ul>
 *   <li>Records are read under the source's isolation level ({@code read_committed} by default),
 *       and a batch ends where such a consumer can read to (the last stable offset); a range that
 *       ends on a transaction's marker, or in a gap that compaction left, ends at once ({@link
 *       PartitionReader}). The direct stream waits for a record at the last offset of the range,
 *       120 s, and then fails.
 *   <li>Partitions added while the job runs are read from their earliest record ({@link
 *       BatchPlanner}); the direct stream's {@code Assign} never sees them.
 *   <li>Saved offsets whose records were deleted are a {@link DataLossException}, or a counted
 *       loss; the direct stream fails in its executors with {@code OffsetOutOfRangeException}.
 *   <li>A broker away makes batches empty, never a failed job, however long it is away.
 * </ul>
 *
 * <p>What the direct stream does well is kept: each batch is an RDD of the records of one offset
 * range per partition, which implements {@code HasOffsetRanges}; the same settings bound how much a
 * batch takes ({@code spark.streaming.kafka.maxRatePerPartition}, {@code minRatePerPartition}, and
 * {@code spark.streaming.backpressure.*} with Spark's own rate estimator); consumers are cached on
 * the executors between batches; and each batch's input is reported to Spark's listeners.
 */
final class KafkaTopicStream extends InputDStream<ConsumerRecord<String, String>> {

  private static final long serialVersionUID = 1L;

  private final String streamId = UUID.randomUUID().toString();
  private final HashMap<String, Object> readerConfig = new HashMap<>();
  private final BatchPlanner planner;
  private final double secondsPerBatch;
  private final long maxRatePerPartition;
  private final long minRatePerPartition;
  private final long initialRate;
  private final RateController rates; // null unless backpressure is on

  /** The stream of {@code source}, going on from {@code resumeFrom} (empty for a new job). */
  KafkaTopicStream(
      StreamingContext context, KafkaSource source, Map<TopicPartition, Long> resumeFrom) {
    super(context, KafkaBatchRDD.RECORD);
    Duration batch = Duration.ofMillis(context.graph().batchDuration().milliseconds());
    this.planner = new BatchPlanner(source, resumeFrom, plannerTimeout(batch), metadataAge(batch));
    readerConfig.putAll(source.consumerProperties());
    readerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, source.isolation().kafkaName());
    readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    readerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // deleted records: an error
    readerConfig.putIfAbsent(
        ConsumerConfig.RECEIVE_BUFFER_CONFIG, "65536"); // as Spark's KafkaUtils

    SparkConf conf = context.conf();
    this.secondsPerBatch = batch.toMillis() / 1000.0;
    this.maxRatePerPartition = conf.getLong("spark.streaming.kafka.maxRatePerPartition", 0);
    this.minRatePerPartition = conf.getLong("spark.streaming.kafka.minRatePerPartition", 1);
    this.initialRate = conf.getLong("spark.streaming.backpressure.initialRate", 0);
    this.rates =
        RateController.isBackPressureEnabled(conf)
            ? new LatestRate(id(), RateEstimator.create(conf, context.graph().batchDuration()))
            : null;
  }

  /**
   * How long a batch waits for Kafka's offsets before it reads nothing: half a batch, between 0.2 s
   * and 5 s. A request to a broker that is there takes milliseconds.
   */
  static Duration plannerTimeout(Duration batch) {
    long millis = Math.max(200, Math.min(5_000, batch.toMillis() / 2));
    return Duration.ofMillis(millis);
  }

  private static Duration metadataAge(Duration batch) {
    return batch.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : batch;
  }

  @Override
  public Option<RateController> rateController() {
    return Option.apply(rates);
  }

  @Override
  public Option<RDD<ConsumerRecord<String, String>>> compute(Time validTime) {
    BatchPlanner.Plan plan = planner.next(this::limits);
    KafkaBatchRDD batch = new KafkaBatchRDD(context().sparkContext(), streamId, readerConfig, plan);
    String description =
        plan.ranges().stream()
            .filter(range -> range.count() > 0)
            .map(
                range ->
                    range.topic()
                        + "-"
                        + range.partition()
                        + " offsets "
                        + range.fromOffset()
                        + " to "
                        + range.untilOffset())
            .collect(Collectors.joining("\n"));
    scala.collection.immutable.Map<String, Object> metadata =
        new scala.collection.immutable.HashMap<String, Object>()
            .updated(StreamInputInfo.METADATA_KEY_DESCRIPTION(), description);
    ssc()
        .scheduler()
        .inputInfoTracker()
        .reportInfo(validTime, new StreamInputInfo(id(), plan.offsets(), metadata));
    return Option.apply(batch);
  }

  /**
   * The most each partition may read in a batch, given how far behind it is: the direct stream's
   * rule. With backpressure, the estimated rate shared by lag, capped by the maximum rate;
   * otherwise the maximum rate; at least the minimum rate; no limit when neither is set.
   */
  private Map<TopicPartition, Long> limits(Map<TopicPartition, Long> behind) {
    long estimated = 0;
    if (rates != null) {
      estimated = rates.getLatestRate() > 0 ? rates.getLatestRate() : initialRate;
    }
    Map<TopicPartition, Long> limits = new HashMap<>();
    long totalBehind = behind.values().stream().mapToLong(Long::longValue).sum();
    if (estimated <= 0 && maxRatePerPartition <= 0) {
      return limits;
    }
    for (Map.Entry<TopicPartition, Long> partition : behind.entrySet()) {
      double rate = maxRatePerPartition;
      if (estimated > 0) {
        double share =
            totalBehind == 0 ? 0 : partition.getValue() / (double) totalBehind * estimated;
        rate = maxRatePerPartition > 0 ? Math.min(share, maxRatePerPartition) : share;
      }
      limits.put(
          partition.getKey(), Math.max((long) (secondsPerBatch * rate), minRatePerPartition));
    }
    return limits;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    planner.close();
    PartitionReader.closeAll(streamId);
  }

  /** Spark's rate estimate, kept for {@link #limits}: nothing is published to a receiver. */
  private static final class LatestRate extends RateController {
    private static final long serialVersionUID = 1L;

    LatestRate(int streamId, RateEstimator estimator) {
      super(streamId, estimator);
    }

    @Override
    public void publish(long rate) {}
  }
}
