package dev.streamlab.lab.run;

import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.producer.cli.KafkaConfigOptions;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.producer.kafka.KafkaFailures;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a job reads Kafka beyond its topic: {@code --on-data-loss}, {@code --commit-group}, and
 * {@code --kafka-config} and {@code --kafka-property}, the settings of its Kafka clients for
 * security or timeouts.
 */
final class KafkaClientOptions {

  @Option(
      names = "--on-data-loss",
      defaultValue = "fail",
      paramLabel = "fail|continue",
      description =
          "When the topic no longer holds what the job has yet to read: records deleted before it"
              + " read them (retention, deleteRecords), the topic deleted and created again, or its"
              + " log cut shorter than the saved offsets. fail stops with exit code 1 and leaves"
              + " the checkpoint as it was; continue says what was lost, goes on from the earliest"
              + " record still there (a re-created topic from its start, on top of the counts),"
              + " and counts the deleted records as lost. Another Kafka cluster is refused either"
              + " way. Default: ${DEFAULT-VALUE}.")
  private KafkaSource.OnDataLoss onDataLoss;

  @Option(
      names = "--commit-group",
      paramLabel = "NAME",
      description =
          "After each batch is saved, commit its offsets to the consumer group NAME, so that"
              + " Kafka's own tools (kafka-consumer-groups --describe --group NAME, lag exporters)"
              + " show how far behind the job is. For monitoring only: the job never reads the"
              + " group's offsets back, its own saved state decides where it reads on. A commit"
              + " never holds a batch up; one that fails is a warning. Default: none.")
  private String commitGroup;

  @Mixin KafkaConfigOptions config;

  private static final Map<String, String> RESERVED_WHY =
      Map.of(
          "bootstrap.servers", "give --bootstrap-server",
          "isolation.level", "give --isolation-level",
          "auto.offset.reset", "give --starting-offsets",
          "enable.auto.commit", "the job keeps its offsets with its state",
          "group.id", "the job reads every partition itself, in no consumer group",
          "key.deserializer", "the job reads values as UTF-8 text",
          "value.deserializer", "the job reads values as UTF-8 text");

  /** {@code source} with these settings. */
  KafkaSource applyTo(KafkaSource source, CommandSpec spec) {
    return source
        .withConsumerProperties(settings(spec).asMap())
        .onDataLoss(onDataLoss)
        .committingTo(commitGroup);
  }

  /**
   * Checks the settings before anything starts, and that the listener at {@code bootstrap} speaks
   * the clients' protocol: one that does not would leave the job without an answer until the
   * lookup's timeout, and then only "unreachable".
   *
   * @param bootstrap the Kafka that {@code --bootstrap-server} names, or null for an embedded
   *     broker, which takes no client settings
   * @throws ParameterException if one of them is a setting the job makes itself, or is given for an
   *     embedded broker
   * @throws IllegalStateException if the listener wants another {@code security.protocol} or SASL
   *     mechanism, saying which
   */
  void validate(CommandSpec spec, String bootstrap) {
    if (config.given() && bootstrap == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--kafka-config and --kafka-property set the clients of a Kafka that --bootstrap-server"
              + " names: the embedded broker needs none");
    }
    if (commitGroup != null && commitGroup.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--commit-group takes a group's name");
    }
    ClientSettings settings = settings(spec);
    if (bootstrap != null) {
      KafkaFailures.requireSpokenTo(bootstrap, settings);
    }
  }

  private ClientSettings settings(CommandSpec spec) {
    return config.settings(spec, KafkaSource.RESERVED, RESERVED_WHY);
  }
}
