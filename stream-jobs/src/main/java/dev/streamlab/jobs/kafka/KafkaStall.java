package dev.streamlab.jobs.kafka;

import java.io.Serializable;

/**
 * A partition the job cannot read on from, for longer than a few batches, though it is there: its
 * records wait, nothing is lost, and the job's counts stand still for it.
 *
 * @param topic the topic
 * @param partition the partition
 * @param cause why
 * @param offset where reading stands: the last stable offset, or the job's next offset when the
 *     partition has no leader
 * @param heldBack how many offsets are written past {@code offset} and wait (records and markers of
 *     transactions; 0 when unknown, without a leader)
 * @param sinceMillis since when (epoch milliseconds), as the driver first saw it
 */
public record KafkaStall(
    String topic, int partition, Cause cause, long offset, long heldBack, long sinceMillis)
    implements Serializable {

  /** Why a partition stands still. */
  public enum Cause {
    /**
     * A transaction is open at {@code offset}: a {@code read_committed} consumer sees nothing past
     * it until the producer commits or aborts, or the broker aborts it when the producer's {@code
     * transaction.timeout.ms} passes (60 s by default, at most the broker's {@code
     * transaction.max.timeout.ms}, 15 minutes by default).
     */
    OPEN_TRANSACTION,
    /** The partition has no leader: no broker serves it (brokers down, an election under way). */
    NO_LEADER
  }

  /** "variance-0", the partition's name as Kafka's tools write it. */
  public String name() {
    return topic + "-" + partition;
  }

  /** One line saying what holds the partition, how long it has, and what the job does. */
  public String describe(long nowMillis) {
    long seconds = Math.max(0, (nowMillis - sinceMillis) / 1000);
    return switch (cause) {
      case OPEN_TRANSACTION ->
          name()
              + " is held at offset "
              + offset
              + " by an open transaction, for "
              + seconds
              + " s since the job found it so ("
              + heldBack
              + " offsets written after it wait): read_committed reads on when it commits or"
              + " aborts, or when its producer's transaction.timeout.ms passes";
      case NO_LEADER ->
          name()
              + " has had no leader for "
              + seconds
              + " s since the job found it so: no broker serves it, so the job reads nothing of it from offset "
              + offset
              + " until one does";
    };
  }
}
