package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;

/**
 * How much each partition may read in one batch: the direct stream's rule, with Spark's own
 * settings. With backpressure on, the rate Spark's estimator gives (or {@code
 * spark.streaming.backpressure.initialRate} before its first estimate) is shared among the
 * partitions by how far behind each is, and capped by {@code
 * spark.streaming.kafka.maxRatePerPartition}; without it, that maximum. Records per second, times
 * the batch's seconds, and never below {@code spark.streaming.kafka.minRatePerPartition} (1 by
 * default), so that every partition behind moves. No limit when neither rate is set.
 *
 * @param secondsPerBatch the batch interval
 * @param maxRatePerPartition records per second and partition; 0 for no maximum
 * @param minRatePerPartition records per second and partition, at least
 * @param initialRate the rate before the estimator's first; 0 for none
 */
record RateLimits(
    double secondsPerBatch, long maxRatePerPartition, long minRatePerPartition, long initialRate)
    implements Serializable {

  /** The limits Spark's configuration {@code conf} sets for batches of {@code secondsPerBatch}. */
  static RateLimits of(SparkConf conf, double secondsPerBatch) {
    return new RateLimits(
        secondsPerBatch,
        conf.getLong("spark.streaming.kafka.maxRatePerPartition", 0),
        conf.getLong("spark.streaming.kafka.minRatePerPartition", 1),
        conf.getLong("spark.streaming.backpressure.initialRate", 0));
  }

  /**
   * The most each partition may read in this batch; a partition left out is read to its end.
   *
   * @param behind how far behind each partition is, in offsets
   * @param estimatedRate the backpressure estimate, records per second for the whole stream; 0 when
   *     there is none yet, -1 when backpressure is off
   */
  Map<TopicPartition, Long> limits(Map<TopicPartition, Long> behind, long estimatedRate) {
    long rate = estimatedRate > 0 ? estimatedRate : estimatedRate == 0 ? initialRate : 0;
    Map<TopicPartition, Long> limits = new HashMap<>();
    if (rate <= 0 && maxRatePerPartition <= 0) {
      return limits;
    }
    long totalBehind = behind.values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<TopicPartition, Long> partition : behind.entrySet()) {
      double perSecond = maxRatePerPartition;
      if (rate > 0) {
        double share = totalBehind == 0 ? 0 : partition.getValue() / (double) totalBehind * rate;
        perSecond = maxRatePerPartition > 0 ? Math.min(share, maxRatePerPartition) : share;
      }
      limits.put(
          partition.getKey(), Math.max((long) (secondsPerBatch * perSecond), minRatePerPartition));
    }
    return limits;
  }
}
