package dev.streamlab.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writing and reading a test's topic with plain Kafka clients, independent of the code tested. */
public final class Topics {

  private Topics() {}

  /** Sends each of {@code lines} as one record, waiting for every acknowledgement. */
  public static void send(String bootstrap, String topic, String... lines) throws Exception {
    send(bootstrap, Map.of(), topic, lines);
  }

  /** {@link #send(String, String, String...)} by a client with {@code settings} (security, …). */
  public static void send(
      String bootstrap, Map<String, String> settings, String topic, String... lines)
      throws Exception {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String line : lines) {
        producer.send(new ProducerRecord<>(topic, line)).get();
      }
    }
  }

  /** The values of partition 0 of {@code topic}, decoded as UTF-8. */
  public static List<String> readAll(String bootstrap, String topic) {
    return readAll(bootstrap, Map.of(), topic);
  }

  /** {@link #readAll(String, String)} by a client with {@code settings} (security, …). */
  public static List<String> readAll(String bootstrap, Map<String, String> settings, String topic) {
    return readAllBytes(bootstrap, settings, topic).stream()
        .map(value -> new String(value, StandardCharsets.UTF_8))
        .toList();
  }

  /** The values of partition 0 of {@code topic}, as a plain consumer reads them: raw bytes. */
  public static List<byte[]> readAllBytes(String bootstrap, String topic) {
    return readAllBytes(bootstrap, Map.of(), topic);
  }

  private static List<byte[]> readAllBytes(
      String bootstrap, Map<String, String> settings, String topic) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      consumer.seekToBeginning(List.of(partition));
      List<byte[]> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }
}
