package dev.streamlab.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** The lab's line sources: a Kafka topic, a TCP socket and a watched directory. */
public final class LineStreams {

  private LineStreams() {}

  /**
   * The values of every partition of a Kafka topic, from where {@code source} says; see {@link
   * #kafkaRecords}. A record without a value (a tombstone) reads as {@code null}.
   */
  public static JavaDStream<String> kafka(JavaStreamingContext context, KafkaSource source) {
    return kafkaRecords(context, source, Map.of()).map(ConsumerRecord::value);
  }

  /**
   * The records of every partition of a Kafka topic, batch by batch ({@link KafkaTopicStream}):
   * from {@code offsets} where given, otherwise from where {@code source} says; partitions added
   * later from their earliest record. Each batch's RDD implements {@code HasOffsetRanges}. The
   * topic is created, with one partition, when it does not exist.
   *
   * @throws IllegalStateException when the topic cannot be looked up (Kafka not there)
   */
  public static JavaInputDStream<ConsumerRecord<String, String>> kafkaRecords(
      JavaStreamingContext context, KafkaSource source, Map<TopicPartition, Long> offsets) {
    partitions(
        source.bootstrapServers(), source.topic()); // fails now, clearly, if Kafka is not there
    return new JavaInputDStream<>(
        new KafkaTopicStream(context.ssc(), source, offsets), KafkaBatchRDD.RECORD);
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
        description = describeCreated(admin, topic);
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

  /**
   * The description of a topic just created: the broker that answers may not know it yet for a
   * moment (its metadata lags the controller's), so it is asked again for up to 15 s.
   */
  private static TopicDescription describeCreated(Admin admin, String topic)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        return describe(admin, topic);
      } catch (UnknownTopicOrPartitionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
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
