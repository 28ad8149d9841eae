package dev.streamlab.jobs.kafka;

import java.io.Serializable;

/**
 * Something a Kafka job's reader noticed about its topic that a person watching the job should
 * know, said once when it happens: a partition that stands still, one that moves again, a topic
 * counted anew after it was re-created. Delivered on the driver, when the batch is planned, to the
 * job's {@link Listener} (the sink its settings name).
 *
 * @param timeMillis when it was noticed (epoch milliseconds)
 * @param kind what it is
 * @param line what to tell the user, one line
 */
public record KafkaNotice(long timeMillis, Kind kind, String line) implements Serializable {

  /** What a notice is about. */
  public enum Kind {
    /** A partition stands still ({@link KafkaStall}): a warning. */
    STALLED,
    /** A partition that stood still moves again. */
    MOVING,
    /**
     * The job went on past records it could not count, as {@code --on-data-loss continue} allows
     * (records deleted before it read them, a re-created topic, a truncated log): a warning.
     */
    RESET,
    /** Commits of the saved offsets to the job's consumer group fail ({@code --commit-group}). */
    COMMITS_FAILING,
    /** Commits to the job's consumer group work again. */
    COMMITS_WORKING
  }

  /** Where a job's notices go, on the driver: a report sink's {@code deliver}, for one. */
  @FunctionalInterface
  public interface Listener extends Serializable {
    /** Takes {@code notice}. */
    void notice(KafkaNotice notice);
  }

  /** Whether the user should be warned: something stands still, was lost, or fails. */
  public boolean warning() {
    return kind != Kind.MOVING && kind != Kind.COMMITS_WORKING;
  }
}
