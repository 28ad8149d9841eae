package dev.streamlab.jobs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;

/** The lab's line sources: a Kafka topic, a TCP socket and a watched directory. */
public final class LineStreams {

  private LineStreams() {}

  /**
   * The values of every partition of a Kafka topic (a direct stream, spark-streaming-kafka-0-10),
   * from the earliest offsets or the latest. See {@link #kafkaRecords}.
   */
  public static JavaDStream<String> kafka(
      JavaStreamingContext context, String bootstrapServers, String topic, boolean fromLatest) {
    return kafkaRecords(context, bootstrapServers, topic, fromLatest, Map.of())
        .map(ConsumerRecord::value);
  }

  /**
   * The records of every partition of a Kafka topic (a direct stream, spark-streaming-kafka-0-10):
   * from {@code offsets} where given, otherwise from the earliest offsets or the latest. Partitions
   * are assigned, not subscribed: after a crash, subscribing waits for the dead consumer's session
   * to expire (46 s measured). The topic is created, with one partition, when it does not exist.
   */
  public static JavaInputDStream<ConsumerRecord<String, String>> kafkaRecords(
      JavaStreamingContext context,
      String bootstrapServers,
      String topic,
      boolean fromLatest,
      Map<TopicPartition, Long> offsets) {
    Map<String, Object> kafka = new HashMap<>();
    kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    kafka.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafka.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    // A group of its own per new stream: Spark caches executor consumers by group and partition,
    // so a shared group would let a second job in this JVM reuse a consumer of another broker.
    kafka.put(ConsumerConfig.GROUP_ID_CONFIG, "streamlab-" + topic + "-" + UUID.randomUUID());
    // Partitions without an offset: all of them when new, those added since when resumed.
    kafka.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        fromLatest && offsets.isEmpty() ? "latest" : "earliest");
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<TopicPartition> partitions = partitions(bootstrapServers, topic);
    Map<TopicPartition, Long> from = new HashMap<>(offsets);
    from.keySet().retainAll(partitions);
    return KafkaUtils.createDirectStream(
        context,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, String>Assign(partitions, kafka, from));
  }

  /**
   * Lines from a TCP server ({@code socketTextStream}), stored without replication: the default
   * {@code MEMORY_AND_DISK_SER_2} warns on every block in local mode, where there is no peer to
   * replicate to. The receiver takes a core: run with {@code local[n]}, n of at least 2.
   */
  public static JavaDStream<String> socket(JavaStreamingContext context, String host, int port) {
    return context.socketTextStream(host, port, StorageLevel.MEMORY_AND_DISK_SER());
  }

  /**
   * Lines of the files that appear in {@code dir} after the start ({@code textFileStream}): only
   * files moved in atomically with a current modification time, as {@code producer-cli drop} does;
   * names starting with a dot are ignored.
   */
  public static JavaDStream<String> directory(JavaStreamingContext context, Path dir) {
    return directory(context, dir.toAbsolutePath().toUri().toString());
  }

  /**
   * Lines of the files that appear in {@code dir} after the start, {@code dir} being a Hadoop file
   * system URI ({@code hdfs://…}, {@code file:/…}) or an absolute path; see {@link
   * #directory(JavaStreamingContext, Path)}.
   */
  public static JavaDStream<String> directory(JavaStreamingContext context, String dir) {
    return context.textFileStream(dir);
  }

  /** Every partition of {@code topic}, creating it (one partition) when it does not exist. */
  static List<TopicPartition> partitions(String bootstrapServers, String topic) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(config)) {
      TopicDescription description;
      try {
        description = describe(admin, topic);
      } catch (UnknownTopicOrPartitionException e) {
        try {
          admin
              .createTopics(Set.of(new NewTopic(topic, 1, (short) 1)))
              .all()
              .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException created) {
          if (!(created.getCause() instanceof TopicExistsException)) {
            throw created;
          }
        }
        description = describe(admin, topic);
      }
      return description.partitions().stream()
          .map(partition -> new TopicPartition(topic, partition.partition()))
          .toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up topic " + topic, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "cannot look up topic " + topic + " at " + bootstrapServers + ": is Kafka running there?",
          e);
    }
  }

  private static TopicDescription describe(Admin admin, String topic)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    try {
      return admin
          .describeTopics(Set.of(topic))
          .allTopicNames()
          .get(15, TimeUnit.SECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException unknown) {
        throw unknown;
      }
      throw e;
    }
  }
}
