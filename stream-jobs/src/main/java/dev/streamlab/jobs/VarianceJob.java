package dev.streamlab.jobs;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;

/**
 * The cumulative variance of a Kafka topic of number lines, as a Spark Streaming job.
 *
 * <p>A Kafka direct stream (spark-streaming-kafka-0-10) assigned to every partition of the topic
 * feeds {@link CumulativeVariance}; the reports go to the {@link ReportSinks sink} named in the
 * settings. A new job starts from the earliest offsets (or the latest), a job restarted on the same
 * checkpoint directory continues from its checkpoint: offsets and state are restored together, so
 * nothing is lost or counted twice. Partitions are assigned, not subscribed: after a crash,
 * subscribing waits for the dead consumer's session to expire (46 s measured).
 *
 * <p>Run it with {@code bin/lab-cli run variance}, or with {@code spark-submit} through {@link
 * #main}.
 */
public final class VarianceJob {

  /** Everything the job needs; the checkpoint keeps it too, so a recovered job uses the same. */
  public record Settings(
      String bootstrapServers,
      String topic,
      Duration batch,
      Duration window,
      Duration slide,
      String checkpointDir,
      String master,
      boolean fromLatest,
      String sinkName)
      implements Serializable {

    public Settings {
      CumulativeVariance.requireMultiple("window", window, batch);
      CumulativeVariance.requireMultiple("slide", slide, batch);
    }
  }

  private VarianceJob() {}

  /**
   * The job's streaming context: recovered from {@code settings.checkpointDir()} when it holds a
   * checkpoint, otherwise new.
   *
   * @throws IllegalStateException when the checkpoint cannot be recovered (written by another build
   *     of this job, say), with what to do about it
   */
  public static JavaStreamingContext getOrCreate(Settings settings) {
    try {
      return JavaStreamingContext.getOrCreate(settings.checkpointDir(), () -> create(settings));
    } catch (Exception e) { // SparkException is checked, and Scala throws it undeclared
      if (hasCheckpoint(settings.checkpointDir())) {
        throw new IllegalStateException(
            "cannot recover the checkpoint in "
                + settings.checkpointDir()
                + " (it was written by another build or another job); delete it, or give another"
                + " --checkpoint directory, to start fresh",
            e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  static JavaStreamingContext create(Settings settings) {
    JavaStreamingContext context =
        new JavaStreamingContext(
            SparkSettings.conf("variance", settings.master()),
            new org.apache.spark.streaming.Duration(settings.batch().toMillis()));
    context.checkpoint(settings.checkpointDir());
    Map<String, Object> kafka = new HashMap<>();
    kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    kafka.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafka.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    // A group of its own per new job: Spark caches executor consumers by group and partition, so
    // a shared group would let a second job in this JVM reuse a consumer of another broker. The
    // checkpoint keeps the group, so a restarted job has the same one.
    kafka.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        "streamlab-variance-" + settings.topic() + "-" + java.util.UUID.randomUUID());
    kafka.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.fromLatest() ? "latest" : "earliest");
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    JavaDStream<String> lines =
        KafkaUtils.createDirectStream(
                context,
                LocationStrategies.PreferConsistent(),
                ConsumerStrategies.<String, String>Assign(
                    partitions(settings.bootstrapServers(), settings.topic()), kafka))
            .map(ConsumerRecord::value);
    CumulativeVariance.deliver(
        CumulativeVariance.build(lines, settings.batch(), settings.window(), settings.slide()),
        settings.sinkName());
    return context;
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

  private static boolean hasCheckpoint(String dir) {
    try (var files = Files.list(Path.of(dir))) {
      return files.anyMatch(file -> file.getFileName().toString().startsWith("checkpoint-"));
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }
}
