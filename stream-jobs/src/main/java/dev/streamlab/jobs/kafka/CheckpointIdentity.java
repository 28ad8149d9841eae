package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a Kafka job's saved state counts: which job, and which topic of which cluster. Saved with
 * the state ({@link StateStore}); a job resumed on another is refused before anything is read.
 *
 * @param job the job's name ({@code variance}, {@code word-count}, …)
 * @param topic the topic's name
 * @param clusterId the id of the Kafka cluster the topic is on; null when not recorded yet (a state
 *     of release 0.1.0 exported before a run resumed it: that run records it)
 * @param topicId the topic's id: a topic deleted and created again under the same name has another;
 *     null when the cluster id is
 */
public record CheckpointIdentity(String job, String topic, String clusterId, String topicId)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public CheckpointIdentity {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(topic, "topic");
    if ((clusterId == null) != (topicId == null)) {
      throw new IllegalArgumentException("a cluster id without a topic id, or the reverse");
    }
  }

  /** The identity of a state that names its job and topic, but not yet its cluster and topic id. */
  static CheckpointIdentity unrecorded(String job, String topic) {
    return new CheckpointIdentity(job, topic, null, null);
  }

  /** Whether the cluster and topic ids are recorded. */
  public boolean recorded() {
    return clusterId != null;
  }

  /** This identity, the topic created again with the id {@code topicId}. */
  CheckpointIdentity withTopicId(String topicId) {
    return new CheckpointIdentity(job, topic, clusterId, topicId);
  }
}
