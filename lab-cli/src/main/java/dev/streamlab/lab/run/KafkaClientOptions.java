package dev.streamlab.lab.run;

import dev.streamlab.jobs.KafkaSource;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --kafka-property}: settings of a job's Kafka consumers, for security or timeouts. */
final class KafkaClientOptions {

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
    return source.withConsumerProperties(properties);
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
