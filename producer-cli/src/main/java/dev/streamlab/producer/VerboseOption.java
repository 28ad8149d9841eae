package dev.streamlab.producer;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --verbose}, accepted by a root command and all its subcommands; {@link
 * StandardCommandLine} prints stack traces when it is given.
 */
public final class VerboseOption {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces and the logs of Spark and Kafka.")
  boolean verbose;

  /** Whether {@code --verbose} was given. */
  public boolean verbose() {
    return verbose;
  }
}
