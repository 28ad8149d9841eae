package dev.streamlab.producer.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads Kafka's {@code bootstrap.servers}: one or more {@code HOST:PORT}, separated by commas, each
 * port from 1 to 65535. A bad list is a usage error that says what is wrong, not a client that
 * fails to start.
 */
public final class BootstrapServersConverter implements ITypeConverter<String> {

  @Override
  public String convert(String servers) {
    if (servers.isBlank()) {
      throw invalid(servers, "it is empty");
    }
    for (String server : servers.split(",", -1)) {
      String address = server.strip();
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        throw invalid(servers, "'" + address + "' is not HOST:PORT");
      }
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw invalid(servers, "'" + address + "' has no port number");
      }
      if (port < 1 || port > 65_535) {
        throw invalid(servers, "port " + port + " is not between 1 and 65535");
      }
    }
    return servers;
  }

  private static TypeConversionException invalid(String servers, String problem) {
    return new TypeConversionException(
        "'"
            + servers
            + "' is not a list of Kafka brokers: "
            + problem
            + " (HOST:PORT[,HOST:PORT…])");
  }
}
