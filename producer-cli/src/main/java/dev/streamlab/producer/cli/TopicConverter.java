package dev.streamlab.producer.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a Kafka topic name, refusing what Kafka would refuse: names are 1 to 249 characters of
 * ASCII letters, digits, {@code .}, {@code _} and {@code -}, and not {@code .} or {@code ..}
 * (Kafka's {@code Topic.validate}). A bad name is a usage error that states the rule, not a failed
 * look-up later.
 */
public final class TopicConverter implements ITypeConverter<String> {

  private static final int MAX_LENGTH = 249;

  @Override
  public String convert(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new TypeConversionException(
          "'"
              + name
              + "' is not a Kafka topic name: "
              + problem
              + " (1 to 249 ASCII letters, digits, '.', '_' or '-')");
    }
    return name;
  }

  private static String problem(String name) {
    if (name.isEmpty()) {
      return "it is empty";
    }
    if (name.length() > MAX_LENGTH) {
      return "it has " + name.length() + " characters";
    }
    if (name.equals(".") || name.equals("..")) {
      return "it cannot be '.' or '..'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean legal =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!legal) {
        return "it contains '" + c + "'";
      }
    }
    return null;
  }
}
