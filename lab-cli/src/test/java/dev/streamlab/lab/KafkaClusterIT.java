package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.StatsAccumulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code producer-cli broker --quorum …} processes form a real KRaft cluster, with a topic of
 * 3 partitions replicated 3 times. The variance job (a {@code lab-cli run variance} process, Spark
 * in local mode) reads it while a producer writes; one broker stops mid-run. The job's final
 * result, and the topic, hold exactly every line sent.
 */
class KafkaClusterIT {

  @TempDir Path dir;

  @Test
  void theJobCountsEveryLineWhenOneBrokerOfThreeStopsMidRun() throws Exception {
    int[] ports = ClusterVarianceCommand.freePorts(6);
    String quorum =
        "1@127.0.0.1:" + ports[3] + ",2@127.0.0.1:" + ports[4] + ",3@127.0.0.1:" + ports[5];
    String bootstrap =
        "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    List<JobProcess> brokers = new ArrayList<>();
    try {
      for (int node = 1; node <= 3; node++) {
        brokers.add(
            JobProcess.producerCli(
                dir.resolve("broker-" + node),
                "broker",
                "--quorum",
                quorum,
                "--node-id",
                Integer.toString(node),
                "--port",
                Integer.toString(ports[node - 1]),
                "--data-dir",
                dir.resolve("kafka-" + node).toString()));
      }
      for (JobProcess broker : brokers) {
        broker.awaitLine(line -> line.startsWith("Kafka broker ready"), Duration.ofSeconds(90));
      }
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        admin
            .createTopics(Set.of(new NewTopic("replicated", 3, (short) 3)))
            .all()
            .get(60, TimeUnit.SECONDS);
      }

      JobProcess job =
          JobProcess.labCli(
              dir.resolve("job"),
              VarianceRuns.command(bootstrap, "replicated", dir.resolve("checkpoint")));
      brokers.add(job); // stopped with the brokers if the test fails
      job.awaitLine(line -> true, Duration.ofSeconds(90));
      Producer producer = new Producer(bootstrap, "replicated", 30, Duration.ofSeconds(20));
      producer.start();
      job.awaitLine(line -> VarianceRuns.n(line) > 0, Duration.ofSeconds(30));
      TimeUnit.SECONDS.sleep(3);

      brokers.get(1).signal("TERM"); // node 2, mid-run
      assertThat(brokers.get(1).awaitExit(Duration.ofSeconds(60))).isZero();
      Stats sent = producer.finish().stats();

      job.awaitLine(line -> VarianceRuns.n(line) == sent.count(), Duration.ofSeconds(120));
      job.signal("TERM");
      assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.err()).isZero();
      VarianceRuns.assertExact(VarianceRuns.finalSummary(job), sent);
      assertThat(job.err()).contains("warning: Kafka broker 127.0.0.1:" + ports[1]);
      assertThat(readAll("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[2], "replicated"))
          .isEqualTo(sent);
    } finally {
      for (JobProcess broker : brokers) {
        if (broker.isAlive()) {
          broker.signal("TERM");
        }
      }
      for (JobProcess broker : brokers) {
        try (broker) {
          broker.awaitExit(Duration.ofSeconds(60));
        }
      }
    }
  }

  private static Stats readAll(String bootstrap, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      StatsAccumulator numbers = new StatsAccumulator();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          NumberLineParser.parse(record.value(), numbers);
        }
      }
      return numbers.toStats();
    }
  }
}
