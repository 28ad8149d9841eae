package dev.streamlab.lab.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark installation made of this build's own Spark dependencies, for running Spark's master,
 * worker and {@code SparkSubmit} as a real cluster would: a {@code SPARK_HOME} whose {@code jars/}
 * links to the jars of this JVM's class path that a Spark distribution ships. The project's own
 * code, picocli, the Kafka connector and clients are not among them: they come with the job jar, as
 * they must on any cluster.
 */
public final class SparkDistribution {

  /** What a Spark distribution does not ship (and, when run from a test, the test libraries). */
  private static final Pattern NOT_IN_SPARK =
      Pattern.compile(
          "(variance-core|stream-jobs|producer-cli|lab-cli|picocli|spark-streaming-kafka-0-10"
              + "|spark-token-provider-kafka-0-10|kafka|zookeeper|jopt-simple|argparse4j|junit"
              + "|assertj|opentest4j|apiguardian|byte-buddy).*");

  private SparkDistribution() {}

  /** The jars of this JVM's class path that a Spark distribution ships. */
  public static List<Path> jars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .map(Path::of)
        .filter(jar -> !NOT_IN_SPARK.matcher(jar.getFileName().toString()).matches())
        .toList();
  }

  /**
   * Makes {@code home} a {@code SPARK_HOME}: a {@code jars/} directory of links to {@link #jars()}.
   * A worker builds its executors' class path from it.
   */
  static Path install(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (Path jar : jars()) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    return home;
  }

  /**
   * The class path of a JVM of the installation at {@code home}, as {@code spark-class} sets it.
   */
  static String classPath(Path home) {
    return home.resolve("jars").toAbsolutePath() + File.separator + "*";
  }

  /**
   * The environment of a Spark JVM of the installation at {@code home}, bound to 127.0.0.1 (web UIs
   * included: they bind to {@code SPARK_LOCAL_IP}).
   */
  static Map<String, String> environment(Path home) {
    return Map.of(
        "SPARK_HOME", home.toAbsolutePath().toString(),
        "SPARK_SCALA_VERSION", scalaBinaryVersion(),
        "SPARK_LOCAL_IP", "127.0.0.1");
  }

  /** The Scala of this build, as Spark's scripts name it: 2.12, 2.13. */
  static String scalaBinaryVersion() {
    String version = scala.util.Properties.versionNumberString(); // 2.12.18
    return version.substring(0, version.lastIndexOf('.'));
  }

  /** The JVM options {@code spark-class} gives every Spark JVM on Java 17 ({@code --add-opens}). */
  static List<String> moduleOptions() {
    return List.of(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
  }

  /**
   * The job jar of this build: {@code lab-cli-<line>-<version>-job.jar}, next to this command's own
   * jar (or its classes, when run from the build).
   *
   * @throws IllegalStateException when there is none: the build has not been packaged
   */
  public static Path jobJar() throws IOException {
    Path code;
    try {
      code =
          Path.of(
              SparkDistribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path target = code.getParent();
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(file -> file.getFileName().toString().matches("lab-cli-.*-job\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no lab-cli-*-job.jar in "
                          + target
                          + ": build it with 'mvn -B package -DskipTests', or give --job-jar"));
    }
  }
}
