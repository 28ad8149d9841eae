package dev.streamlab.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @TempDir Path dataDir;

  @Test
  void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", 0, dataDir)) {
      port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      send(broker.bootstrapServers(), "variance", "1 2 3 4 5 6");
      assertThat(readAll(broker.bootstrapServers(), "variance")).containsExactly("1 2 3 4 5 6");
    }
    try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start("127.0.0.1", port, dataDir)) {
      send(again.bootstrapServers(), "variance", "7 8 9");
      assertThat(readAll(again.bootstrapServers(), "variance"))
          .containsExactly("1 2 3 4 5 6", "7 8 9");
    }
  }

  @Test
  void aPortInUseIsAClearFailure() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(
              () -> EmbeddedKafkaBroker.start("127.0.0.1", taken.getLocalPort(), dataDir).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("could not start on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  static void send(String bootstrap, String topic, String... lines) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String line : lines) {
        producer.send(new ProducerRecord<>(topic, line)).get();
      }
    }
  }

  static List<String> readAll(String bootstrap, String topic) {
    return readAllBytes(bootstrap, topic).stream()
        .map(value -> new String(value, StandardCharsets.UTF_8))
        .toList();
  }

  /** The values of partition 0 of {@code topic}, as a plain consumer reads them: raw bytes. */
  static List<byte[]> readAllBytes(String bootstrap, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
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
