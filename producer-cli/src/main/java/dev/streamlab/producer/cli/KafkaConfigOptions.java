package dev.streamlab.producer.cli;

import dev.streamlab.producer.kafka.ClientSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --kafka-config FILE} and {@code --kafka-property KEY=VALUE}: the settings of a command's
 * Kafka clients, for a secured or distant cluster, as Kafka's tools and kcat take them.
 */
public final class KafkaConfigOptions {

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client settings from a Java properties file (security.protocol, sasl.*, ssl.*,"
              + " timeouts), as Kafka's --command-config takes them. Secrets may stay out of it:"
              + " $${env:NAME} and $${file:PATH:KEY} in a value are resolved by Kafka's config"
              + " providers (config.providers=env,file with their classes; see the README).")
  private Path file;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description =
          "One Kafka client setting (repeatable), over --kafka-config's; a value here is seen by"
              + " every user of this machine (ps), so keep secrets in the file.")
  private List<String> properties = new ArrayList<>();

  /** Whether either option was given. */
  public boolean given() {
    return file != null || !properties.isEmpty();
  }

  /**
   * The settings given, without any of {@code reserved}, the settings the command makes itself.
   *
   * @param why why the command makes a setting itself, or which option to use instead, said in the
   *     usage error: {@code bootstrap.servers} → "give --bootstrap-server"; the settings without an
   *     entry are said to be the command's without more
   * @throws ParameterException if the file cannot be read, a reference resolves to nothing, or a
   *     reserved setting is given
   */
  public ClientSettings settings(CommandSpec spec, Set<String> reserved, Map<String, String> why) {
    Map<String, String> properties = properties(spec);
    ClientSettings settings;
    try {
      settings = ClientSettings.of(file, properties);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Optional<String> taken = settings.firstOf(reserved);
    if (taken.isPresent()) {
      throw new ParameterException(
          spec.commandLine(),
          (properties.containsKey(taken.get())
                  ? "--kafka-property "
                  : "--kafka-config " + file + ": ")
              + taken.get()
              + " is set by the command itself"
              + (why.containsKey(taken.get()) ? ": " + why.get(taken.get()) : ""));
    }
    return settings;
  }

  /** The {@code --kafka-property} settings, in order, a later one winning. */
  private Map<String, String> properties(CommandSpec spec) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String property : properties) {
      int equals = property.indexOf('=');
      if (equals < 0) {
        throw new ParameterException(
            spec.commandLine(), "--kafka-property takes KEY=VALUE, not '" + property + "'");
      }
      parsed.put(property.substring(0, equals).strip(), property.substring(equals + 1));
    }
    return parsed;
  }
}
