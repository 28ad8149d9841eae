package dev.streamlab.lab.run;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a Spark master URL in one of the forms Spark takes ({@code
 * SparkContext.createTaskScheduler} and its cluster managers), so that a typo is a usage error that
 * lists them, not a failed start of Spark.
 */
final class MasterConverter implements ITypeConverter<String> {

  private static final Pattern MASTER =
      Pattern.compile(
          "local"
              + "|local\\[(\\d+|\\*)(,\\s*\\d+)?\\]"
              + "|local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+\\]"
              + "|yarn"
              + "|[A-Za-z][A-Za-z0-9+.-]*://\\S+");

  @Override
  public String convert(String master) {
    if (!MASTER.matcher(master).matches()) {
      throw new TypeConversionException(
          "'"
              + master
              + "' is not a Spark master URL (local, local[N], local[*], spark://HOST:PORT, yarn"
              + " or k8s://HOST:PORT)");
    }
    return master;
  }
}
