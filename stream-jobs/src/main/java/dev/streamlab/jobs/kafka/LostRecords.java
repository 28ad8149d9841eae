package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Records of a partition that were deleted before a job read them: the offsets from {@code
 * fromOffset} (the job's next record) up to, not including, {@code untilOffset} (the partition's
 * earliest record now).
 *
 * <p>The count is of offsets: on a topic of transactions a few of them were commit markers rather
 * than records, so it is an upper bound there, and exact otherwise.
 */
public record LostRecords(String topic, int partition, long fromOffset, long untilOffset)
    implements Serializable {

  public LostRecords {
    if (untilOffset <= fromOffset) {
      throw new IllegalArgumentException(
          "untilOffset must be above fromOffset " + fromOffset + ", was " + untilOffset);
    }
  }

  /** The lost offsets of {@code partition}. */
  static LostRecords of(TopicPartition partition, long fromOffset, long untilOffset) {
    return new LostRecords(partition.topic(), partition.partition(), fromOffset, untilOffset);
  }

  /** How many offsets were lost. */
  public long count() {
    return untilOffset - fromOffset;
  }

  /** The lost offsets of every range of {@code lost}. */
  public static long count(List<LostRecords> lost) {
    return lost.stream().mapToLong(LostRecords::count).sum();
  }

  /** "variance-0 offsets 0 to 119 (120 records), variance-1 offset 7 (1 record)". */
  public static String describe(List<LostRecords> lost) {
    return lost.stream().map(LostRecords::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    String records = count() == 1 ? "1 record" : count() + " records";
    String offsets =
        count() == 1
            ? "offset " + fromOffset
            : "offsets " + fromOffset + " to " + (untilOffset - 1);
    return topic + "-" + partition + " " + offsets + " (" + records + ")";
  }
}
