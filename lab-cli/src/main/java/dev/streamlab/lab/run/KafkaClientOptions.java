package dev.streamlab.lab.run;

import dev.streamlab.jobs.kafka.KafkaSource;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a job reads Kafka beyond its topic: {@code --on-data-loss}, and {@code --kafka-property},
 * settings of its Kafka consumers for security or timeouts.
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
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description =
          "A setting of the job's Kafka consumers (repeatable), e.g."
              + " security.protocol=SASL_SSL or request.timeout.ms=10000. The job sets the"
              + " bootstrap servers, isolation level, deserializers, offsets and group itself.")
  private Map<String, String> properties = new LinkedHashMap<>();

  /** {@code source} with these settings, which {@link #validate} has accepted. */
  KafkaSource applyTo(KafkaSource source, CommandSpec spec) {
    validate(spec);
    return source.withConsumerProperties(properties).onDataLoss(onDataLoss);
  }

  /**
   * Checks the settings before anything starts.
   *
   * @throws ParameterException if one of them is a setting the job makes itself
   */
  void validate(CommandSpec spec) {
    for (String key : properties.keySet()) {
      if (KafkaSource.RESERVED.contains(key)) {
        throw new ParameterException(
            spec.commandLine(),
            "--kafka-property "
                + key
                + " is set by the job itself (use --bootstrap-server, --isolation-level or"
                + " --starting-offsets where they apply)");
      }
    }
  }
}
