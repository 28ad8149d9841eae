package dev.streamlab.lab;

import dev.streamlab.producer.KafkaOptions;
import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.cli.KafkaConfigOptions;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.producer.kafka.KafkaFailures;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lab-cli consume}: the lab's Milestone 1 consumer, each message as it arrives. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description =
        "Prints each message of a Kafka topic as it arrives (the lab's Milestone 1 consumer),"
            + " until Ctrl-C or --max-messages.")
final class ConsumeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--from-beginning",
      description = "Print the messages already in the topic too, not only new ones.")
  boolean fromBeginning;

  @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N messages.")
  long maxMessages = Long.MAX_VALUE;

  @Mixin KafkaOptions kafka;

  @Mixin KafkaConfigOptions kafkaConfig;

  private static final Map<String, String> RESERVED_WHY =
      Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "give --bootstrap-server",
          ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "give --timeout",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "it reads every partition, in no group",
          ConsumerConfig.GROUP_ID_CONFIG, "it reads every partition, in no group",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "it prints values as UTF-8 text",
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "it prints values as UTF-8 text");

  private ClientSettings settings;

  @Override
  public Integer call() {
    settings = kafkaConfig.settings(spec, RESERVED_WHY.keySet(), RESERVED_WHY);
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> own =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServer(),
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) kafka.timeout().toMillis(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    StopSignal stop = StopSignal.trap();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            settings.with(own), new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      long printed = 0;
      while (printed < maxMessages && !stop.requested()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          out.println(record.value());
          if (++printed == maxMessages) {
            break;
          }
        }
        out.flush();
      }
    }
    return 0;
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
    // A listener that this client does not speak to as it wants leaves it waiting: say so now.
    KafkaFailures.requireSpokenTo(kafka.bootstrapServer(), settings);
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(kafka.topic(), kafka.timeout());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          KafkaFailures.noAnswer(kafka.bootstrapServer(), kafka.timeout()));
    }
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + kafka.topic() + " does not exist at " + kafka.bootstrapServer());
    }
    return infos.stream().map(info -> new TopicPartition(kafka.topic(), info.partition())).toList();
  }
}
