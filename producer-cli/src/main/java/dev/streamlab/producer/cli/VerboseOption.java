package dev.streamlab.producer.cli;

import java.net.URISyntaxException;
import java.util.Objects;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --verbose}, accepted by a root command and all its subcommands: stack traces from {@link
 * StandardCommandLine}, and the logs of Spark and Kafka at INFO.
 */
public final class VerboseOption {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces and the logs of Spark and Kafka.")
  void setVerbose(boolean verbose) {
    if (verbose) {
      try {
        Configurator.reconfigure(
            Objects.requireNonNull(getClass().getResource("/log4j2-verbose.properties")).toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
