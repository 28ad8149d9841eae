package dev.streamlab.jobs.kafka;

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
 *   <li>Partitions added while the job runs are read from offset 0 ({@link BatchPlanner}); the
 *       direct stream's {@code Assign} never sees them.
 *   <li>Saved offsets whose records were deleted, a log truncated below them, or a topic created
 *       again are a {@link DataLossException}, or a loss the job goes on past and says; the direct
 *       stream fails in its executors with {@code OffsetOutOfRangeException}, or waits in silence.
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
  private final RateLimits rateLimits;
  private final int consumerCacheCapacity;
  private final RateController rates; // null unless backpressure is on
  private final KafkaNotice.Listener notices; // null when nobody listens
  private final transient Runnable onStop; // a Kafka job's stream is never checkpointed by Spark

  /**
   * The stream of {@code source}, going on from {@code resumeFrom} (each partition's next offset; a
   * partition not in it is read from offset 0).
   *
   * @param topicId the id of the topic the job counts: another one is a loss
   * @param notices where the planner's notices go, or null
   * @param onStop run when the stream stops (after the last batch)
   * @throws IllegalArgumentException when Spark is set to run more than one batch at a time
   */
  KafkaTopicStream(
      StreamingContext context,
      KafkaSource source,
      Map<TopicPartition, Long> resumeFrom,
      String topicId,
      KafkaNotice.Listener notices,
      Runnable onStop) {
    super(context, KafkaBatchRDD.RECORD);
    requireOneBatchAtATime(context.conf());
    Duration batch = Duration.ofMillis(context.graph().batchDuration().milliseconds());
    this.planner =
        new BatchPlanner(source, resumeFrom, topicId, plannerTimeout(batch), stallAfter(batch));
    this.notices = notices;
    this.onStop = onStop;
    readerConfig.putAll(source.consumerProperties());
    readerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, source.isolation().kafkaName());
    readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    readerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // deleted records: an error
    readerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    readerConfig.putIfAbsent(
        ConsumerConfig.RECEIVE_BUFFER_CONFIG, "65536"); // as Spark's KafkaUtils

    SparkConf conf = context.conf();
    this.rateLimits = RateLimits.of(conf, batch.toMillis() / 1000.0);
    this.consumerCacheCapacity = consumerCacheCapacity(conf);
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

  /**
   * How long a partition may stand still before the job says so: 3 batches, and at least 10 s (an
   * open transaction of a producer that is working lasts a moment).
   */
  static Duration stallAfter(Duration batch) {
    Duration three = batch.multipliedBy(3);
    return three.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : three;
  }

  /**
   * Refuses {@code spark.streaming.concurrentJobs} other than 1. With more, Spark runs the batches
   * of a Kafka stream side by side, and they end out of order; a job that saves its state batch by
   * batch would then refuse each batch that ends before the one ahead of it (it would skip records
   * otherwise), so the setting could only stop the job. One batch at a time is Spark's default.
   */
  static void requireOneBatchAtATime(SparkConf conf) {
    String jobs = conf.get("spark.streaming.concurrentJobs", "1").strip();
    if (!jobs.equals("1")) {
      throw new IllegalArgumentException(
          "spark.streaming.concurrentJobs="
              + jobs
              + ": a Kafka job saves its state batch after batch, in order, so it runs one batch at"
              + " a time (1, Spark's default)");
    }
  }

  /**
   * How many idle consumers each executor keeps ({@link ConsumerCache}): Spark's own settings of
   * the direct stream, {@code spark.streaming.kafka.consumer.cache.maxCapacity} (64 by default) and
   * {@code spark.streaming.kafka.consumer.cache.enabled} (false keeps none).
   */
  static int consumerCacheCapacity(SparkConf conf) {
    if (!conf.getBoolean("spark.streaming.kafka.consumer.cache.enabled", true)) {
      return 0;
    }
    return conf.getInt(
        "spark.streaming.kafka.consumer.cache.maxCapacity", ConsumerCache.DEFAULT_CAPACITY);
  }

  @Override
  public Option<RateController> rateController() {
    return Option.apply(rates);
  }

  @Override
  public Option<RDD<ConsumerRecord<String, String>>> compute(Time validTime) {
    BatchPlanner.Plan plan = planner.next(this::limits);
    if (notices != null) {
      planner.takeNotices().forEach(notices::notice);
    }
    KafkaBatchRDD batch =
        new KafkaBatchRDD(
            context().sparkContext(), streamId, readerConfig, consumerCacheCapacity, plan);
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
   * The most each partition may read in a batch, given how far behind it is ({@link RateLimits}).
   */
  private Map<TopicPartition, Long> limits(Map<TopicPartition, Long> behind) {
    return rateLimits.limits(behind, rates == null ? -1 : Math.max(0, rates.getLatestRate()));
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    planner.close();
    ConsumerCache.SHARED.closeStream(streamId);
    if (onStop != null) {
      onStop.run();
    }
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
