package dev.streamlab.producer;

import dev.streamlab.producer.cli.BootstrapServersConverter;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.cli.TopicConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Which Kafka topic a client command talks to, and how long it waits for the broker. */
public final class KafkaOptions {

  @Option(
      names = "--bootstrap-server",
      defaultValue = "localhost:9092",
      paramLabel = "HOST:PORT",
      converter = BootstrapServersConverter.class,
      description = "Kafka to talk to. Default: ${DEFAULT-VALUE}.")
  private String bootstrapServer;

  @Option(
      names = "--topic",
      defaultValue = "variance",
      converter = TopicConverter.class,
      description = "Default: ${DEFAULT-VALUE}.")
  private String topic;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to wait for an unreachable broker. Default: ${DEFAULT-VALUE}.")
  private Duration timeout;

  /** The {@code bootstrap.servers} of the Kafka to talk to. */
  public String bootstrapServer() {
    return bootstrapServer;
  }

  /** The topic. */
  public String topic() {
    return topic;
  }

  /** How long to wait for an unreachable broker. */
  public Duration timeout() {
    return timeout;
  }
}
