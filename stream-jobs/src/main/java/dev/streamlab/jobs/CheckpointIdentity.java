package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a Kafka job's saved state counts: which job, and which topic of which cluster. Saved with
 * the state ({@link StateStore}); a job resumed on another is refused before anything is read.
 *
 * @param job the job's name ({@code variance}, {@code word-count}, …)
 * @param topic the topic's name
 * @param clusterId the id of the Kafka cluster the topic is on
 * @param topicId the topic's id: a topic deleted and created again under the same name has another
 */
public record CheckpointIdentity(String job, String topic, String clusterId, String topicId)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public CheckpointIdentity {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(topicId, "topicId");
  }

  /** This identity, the topic created again with the id {@code topicId}. */
  CheckpointIdentity withTopicId(String topicId) {
    return new CheckpointIdentity(job, topic, clusterId, topicId);
  }
}
