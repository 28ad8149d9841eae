package dev.streamlab.lab.cluster;

import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.feed.DataDirectories;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * How the job on a secured Kafka cluster gets its password as the README tells a user to give it,
 * never on a command line: its {@code --kafka-config} names it {@code ${env:KAFKA_PASSWORD}}; the
 * driver has the variable in its environment, the executors by {@code spark.executorEnv}, set in a
 * Spark properties file readable by its owner only. Both files are kept in the brokers' security
 * directory.
 *
 * @param kafkaConfig the job's {@code --kafka-config}
 * @param sparkProperties {@code spark-submit --properties-file}
 * @param value the password
 */
record JobSecret(Path kafkaConfig, Path sparkProperties, String value) {

  /** The variable that holds the password, in the driver's and the executors' environment. */
  static final String VARIABLE = "KAFKA_PASSWORD";

  /** Writes the job's files for brokers with {@code security}. */
  static JobSecret write(BrokerSecurity security) throws IOException {
    Properties kafka = new Properties();
    kafka.put("config.providers", "env");
    kafka.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    kafka.putAll(security.clientSettings("${env:" + VARIABLE + "}"));
    Properties spark = new Properties();
    spark.put("spark.executorEnv." + VARIABLE, security.clientSecret());
    JobSecret secret =
        new JobSecret(
            security.dir().resolve("job-kafka.properties"),
            security.dir().resolve("job-spark.properties"),
            security.clientSecret());
    DataDirectories.writeSecret(secret.kafkaConfig, text(kafka, "the job's Kafka client settings"));
    DataDirectories.writeSecret(secret.sparkProperties, text(spark, "the job's Spark settings"));
    return secret;
  }

  private static String text(Properties properties, String comment) throws IOException {
    StringWriter text = new StringWriter();
    properties.store(text, comment);
    return text.toString();
  }

  /** The options of {@code spark-submit}. */
  List<String> submitOptions() {
    return List.of("--properties-file", sparkProperties.toString());
  }

  /** The options of the job, after {@code run variance}. */
  List<String> jobOptions() {
    return List.of("--kafka-config", kafkaConfig.toString());
  }

  /** The driver's environment. */
  Map<String, String> environment() {
    return Map.of(VARIABLE, value);
  }

  /** The processes of this machine whose command line holds the password: their pids. */
  List<Long> processesShowingIt() {
    return ProcessHandle.allProcesses()
        .filter(process -> process.info().commandLine().orElse("").contains(value))
        .map(ProcessHandle::pid)
        .toList();
  }

  /**
   * The files under {@code work} that hold the password, but for those of {@code securityDir},
   * where it is kept: logs, Spark's work directories, the checkpoint, Kafka's data. Jars and links
   * (Spark's own jars) are not read.
   */
  List<Path> filesShowingIt(Path work, Path securityDir) throws IOException {
    byte[] needle = value.getBytes(StandardCharsets.US_ASCII);
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(work)) {
      for (Path file : files.toList()) {
        if (!file.startsWith(securityDir)
            && !file.toString().endsWith(".jar")
            && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && contains(Files.readAllBytes(file), needle)) {
          found.add(file);
        }
      }
    }
    return found;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
