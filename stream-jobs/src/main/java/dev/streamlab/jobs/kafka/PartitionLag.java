package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.List;

/**
 * How far behind the job is on one partition once a batch has read what it planned: where it reads
 * on from, and the offsets a consumer sees there now.
 *
 * @param topic the topic
 * @param partition the partition
 * @param next the job's next offset, after this batch
 * @param stable the last stable offset: the end that a {@code read_committed} consumer sees (the
 *     log's end under {@code read_uncommitted})
 * @param end the log's end offset
 */
public record PartitionLag(String topic, int partition, long next, long stable, long end)
    implements Serializable {

  /** "variance-0", the partition's name as Kafka's tools write it. */
  public String name() {
    return topic + "-" + partition;
  }

  /**
   * The offsets the job can read and has not (records, and the markers of transactions): the last
   * stable offset less the next offset.
   */
  public long behind() {
    return Math.max(0, stable - next);
  }

  /** The offsets written past the last stable offset, held back by open transactions. */
  public long heldBack() {
    return Math.max(0, end - stable);
  }

  /** The sum of {@link #behind()} over {@code lag}. */
  public static long behind(List<PartitionLag> lag) {
    return lag.stream().mapToLong(PartitionLag::behind).sum();
  }

  /** The sum of {@link #heldBack()} over {@code lag}. */
  public static long heldBack(List<PartitionLag> lag) {
    return lag.stream().mapToLong(PartitionLag::heldBack).sum();
  }
}
