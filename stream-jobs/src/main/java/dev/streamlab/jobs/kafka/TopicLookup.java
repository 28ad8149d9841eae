package dev.streamlab.jobs.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A job's topic as the driver sees it, through Kafka's Admin client: the cluster's id, the topic's
 * id and partitions (with whether each has a leader), and their offsets. The Admin client, unlike a
 * consumer, never creates a topic by asking about it.
 *
 * <p>Every call waits at most the time it is given; a broker away makes it throw {@link
 * TimeoutException}, never wait longer. Not thread-safe.
 */
final class TopicLookup implements AutoCloseable {

  /**
   * The topic now.
   *
   * @param topicId the topic's id, which a topic created again under the same name does not keep
   * @param partitions each partition, and whether a broker leads it now
   */
  record Description(String topicId, Map<TopicPartition, Boolean> partitions) {

    /** The partitions that have a leader, whose offsets can be asked for. */
    List<TopicPartition> led() {
      return partitions.entrySet().stream()
          .filter(Map.Entry::getValue)
          .map(Map.Entry::getKey)
          .toList();
    }
  }

  private final String topic;
  private final Admin admin;

  /** A lookup of {@code source}'s topic, with the source's client settings (security, say). */
  TopicLookup(KafkaSource source) {
    this.topic = source.topic();
    Map<String, Object> config = source.adminProperties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "streamlab-lookup-" + topic);
    this.admin = Admin.create(config);
  }

  /** The id of the cluster the bootstrap servers belong to. */
  String clusterId(Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    return admin
        .describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout)))
        .clusterId()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The topic now, or empty when it does not exist. */
  Optional<Description> describe(Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    TopicDescription description;
    try {
      description =
          admin
              .describeTopics(Set.of(topic), new DescribeTopicsOptions().timeoutMs(millis(timeout)))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw e;
    }
    Map<TopicPartition, Boolean> partitions = new HashMap<>();
    for (TopicPartitionInfo partition : description.partitions()) {
      partitions.put(
          new TopicPartition(topic, partition.partition()),
          partition.leader() != null && !partition.leader().isEmpty());
    }
    return Optional.of(new Description(description.topicId().toString(), Map.copyOf(partitions)));
  }

  /**
   * The offsets {@code spec} names of {@code partitions}, read as {@code isolation} sees them, of
   * those that answer by {@code deadline} (a {@link System#nanoTime()}); the others are left out.
   */
  Map<TopicPartition, Long> offsets(
      Collection<TopicPartition> partitions,
      OffsetSpec spec,
      IsolationLevel isolation,
      long deadline)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    partitions.forEach(partition -> asked.put(partition, spec));
    if (asked.isEmpty()) {
      return Map.of();
    }
    long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    ListOffsetsResult result =
        admin.listOffsets(
            asked,
            new ListOffsetsOptions(isolation).timeoutMs((int) Math.min(timeoutMillis, 60_000)));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo> answer =
          result.partitionResult(partition);
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        offsets.put(partition, answer.get(left, TimeUnit.NANOSECONDS).offset());
      } catch (ExecutionException | TimeoutException e) {
        // no answer for this partition in time (no leader, a broker away): left out
      }
    }
    return offsets;
  }

  @Override
  public void close() {
    admin.close(Duration.ZERO);
  }

  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }
}
