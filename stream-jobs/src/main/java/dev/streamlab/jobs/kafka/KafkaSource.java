package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * Where and how a job reads a Kafka topic.
 *
 * @param bootstrapServers the brokers to connect to, {@code host:port,…}
 * @param topic the topic; every partition is read, also those added while the job runs
 * @param startingOffsets where a new job starts in the partitions it finds at its start (a job
 *     resumed from its saved offsets goes on from them; a partition added later is read from its
 *     earliest record)
 * @param isolation which records of transactional producers are read
 * @param onDataLoss what to do when records the job has not read yet are gone from the topic
 * @param consumerProperties more settings of the job's Kafka consumers (security, timeouts, …); not
 *     those the job sets itself ({@link #RESERVED})
 * @param commitGroup a consumer group to which the job commits its offsets once it has saved them,
 *     for Kafka's tools to show its lag, or null; the job never reads them back (its own saved
 *     state decides where it reads on)
 */
public record KafkaSource(
    String bootstrapServers,
    String topic,
    StartingOffsets startingOffsets,
    Isolation isolation,
    OnDataLoss onDataLoss,
    Map<String, String> consumerProperties,
    String commitGroup)
    implements Serializable {

  /**
   * The consumer settings a source decides itself: where to connect, how records are decoded, where
   * reading starts and that nothing is committed (the job keeps its offsets).
   */
  public static final Set<String> RESERVED =
      Set.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG);

  /** Where a new job starts reading. */
  public enum StartingOffsets {
    /** At the first record still in each partition: counts what was sent before the job. */
    EARLIEST,
    /** After the last record of each partition at the start. */
    LATEST
  }

  /** Kafka's {@code isolation.level}: which records of transactions are read. */
  public enum Isolation {
    /**
     * Only records of committed transactions (and non-transactional ones), up to the last stable
     * offset: a record of a transaction still open is read once it commits, never if it aborts.
     */
    READ_COMMITTED,
    /** Every record as soon as it is written, including those of transactions that abort. */
    READ_UNCOMMITTED;

    /** The value of the consumer setting {@code isolation.level}. */
    String kafkaName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What a job does when records it has not read yet were deleted (by retention, {@code
   * deleteRecords}, or compaction's cleaning of the log start), as Structured Streaming's {@code
   * failOnDataLoss}.
   */
  public enum OnDataLoss {
    /** Stop with a {@link DataLossException}, keeping the saved state and offsets as they were. */
    FAIL,
    /** Go on from the earliest record still there, counting the lost records in the state. */
    CONTINUE
  }

  public KafkaSource {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(startingOffsets, "startingOffsets");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(onDataLoss, "onDataLoss");
    consumerProperties = Map.copyOf(consumerProperties);
    for (String key : consumerProperties.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException(
            "consumerProperties must not set " + key + ", which the job sets itself");
      }
    }
  }

  /** A source as given, with no more consumer settings. */
  public KafkaSource(
      String bootstrapServers,
      String topic,
      StartingOffsets startingOffsets,
      Isolation isolation,
      OnDataLoss onDataLoss) {
    this(bootstrapServers, topic, startingOffsets, isolation, onDataLoss, Map.of(), null);
  }

  /**
   * {@code topic} at {@code bootstrapServers}, from the earliest offsets, committed records only.
   */
  public static KafkaSource of(String bootstrapServers, String topic) {
    return new KafkaSource(
        bootstrapServers,
        topic,
        StartingOffsets.EARLIEST,
        Isolation.READ_COMMITTED,
        OnDataLoss.FAIL);
  }

  /** This source, a new job starting at {@code startingOffsets}. */
  public KafkaSource startingAt(StartingOffsets startingOffsets) {
    return new KafkaSource(
        bootstrapServers,
        topic,
        startingOffsets,
        isolation,
        onDataLoss,
        consumerProperties,
        commitGroup);
  }

  /** This source, read with {@code isolation}. */
  public KafkaSource reading(Isolation isolation) {
    return new KafkaSource(
        bootstrapServers,
        topic,
        startingOffsets,
        isolation,
        onDataLoss,
        consumerProperties,
        commitGroup);
  }

  /** This source, doing {@code onDataLoss} when records are gone before they were read. */
  public KafkaSource onDataLoss(OnDataLoss onDataLoss) {
    return new KafkaSource(
        bootstrapServers,
        topic,
        startingOffsets,
        isolation,
        onDataLoss,
        consumerProperties,
        commitGroup);
  }

  /**
   * The settings of {@link #consumerProperties} that an admin client of the same cluster takes:
   * those it knows, and the config providers that resolve references in them ({@code
   * config.providers…}, which no client lists among its settings).
   */
  public Map<String, Object> adminProperties() {
    Map<String, Object> admin = new java.util.HashMap<>();
    consumerProperties.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)
              || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
            admin.put(key, value);
          }
        });
    return admin;
  }

  /** The source, its consumer settings named without their values, which may be secrets. */
  @Override
  public String toString() {
    return "KafkaSource[bootstrapServers="
        + bootstrapServers
        + ", topic="
        + topic
        + ", startingOffsets="
        + startingOffsets
        + ", isolation="
        + isolation
        + ", onDataLoss="
        + onDataLoss
        + ", consumerProperties="
        + new java.util.TreeSet<>(consumerProperties.keySet())
        + (commitGroup != null ? ", commitGroup=" + commitGroup : "")
        + "]";
  }

  /**
   * This source, its saved offsets committed to the consumer group {@code group} after each save,
   * for monitoring only (null: none).
   */
  public KafkaSource committingTo(String group) {
    return new KafkaSource(
        bootstrapServers, topic, startingOffsets, isolation, onDataLoss, consumerProperties, group);
  }

  /** This source, its consumers given {@code consumerProperties} as well. */
  public KafkaSource withConsumerProperties(Map<String, String> consumerProperties) {
    return new KafkaSource(
        bootstrapServers,
        topic,
        startingOffsets,
        isolation,
        onDataLoss,
        consumerProperties,
        commitGroup);
  }
}
