package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** How much each partition may read in a batch, by Spark's settings of the direct stream. */
class RateLimitsTest {

  private static final TopicPartition A = new TopicPartition("t", 0);
  private static final TopicPartition B = new TopicPartition("t", 1);
  private static final Map<TopicPartition, Long> BEHIND = Map.of(A, 2_000L, B, 1_000L);
  private static final long OFF = -1; // backpressure off
  private static final long NO_ESTIMATE_YET = 0;

  @Test
  void withoutARateEachPartitionReadsToItsEnd() {
    RateLimits none = RateLimits.of(new SparkConf(false), 1.0);

    assertThat(none.limits(BEHIND, OFF)).isEmpty();
    assertThat(none.limits(BEHIND, NO_ESTIMATE_YET)).isEmpty();
  }

  @Test
  void theMaximumRateTimesTheBatchCapsEachPartition() {
    RateLimits max =
        RateLimits.of(
            new SparkConf(false).set("spark.streaming.kafka.maxRatePerPartition", "300"), 2.0);

    assertThat(max.limits(BEHIND, OFF)).isEqualTo(Map.of(A, 600L, B, 600L));
  }

  @Test
  void backpressureSharesTheEstimateByLagAndTheMaximumCapsEachShare() {
    RateLimits shared = new RateLimits(1.0, 0, 1, 0);
    assertThat(shared.limits(BEHIND, 900)).isEqualTo(Map.of(A, 600L, B, 300L));

    RateLimits capped = new RateLimits(1.0, 400, 1, 0);
    assertThat(capped.limits(BEHIND, 900)).isEqualTo(Map.of(A, 400L, B, 300L));
  }

  @Test
  void theInitialRateStandsInUntilTheFirstEstimateAndOnlyUnderBackpressure() {
    RateLimits initial =
        RateLimits.of(
            new SparkConf(false).set("spark.streaming.backpressure.initialRate", "30"), 0.5);

    assertThat(initial.limits(BEHIND, NO_ESTIMATE_YET)).isEqualTo(Map.of(A, 10L, B, 5L));
    assertThat(initial.limits(BEHIND, OFF)).isEmpty();
  }

  @Test
  void everyPartitionMovesByAtLeastTheMinimumRate() {
    RateLimits tiny =
        RateLimits.of(
            new SparkConf(false)
                .set("spark.streaming.kafka.maxRatePerPartition", "1")
                .set("spark.streaming.kafka.minRatePerPartition", "7"),
            0.1);

    assertThat(tiny.limits(BEHIND, OFF)).isEqualTo(Map.of(A, 7L, B, 7L));
    assertThat(new RateLimits(1.0, 0, 1, 0).limits(Map.of(A, 1L, B, 999_999L), 10))
        .containsEntry(A, 1L);
  }
}
