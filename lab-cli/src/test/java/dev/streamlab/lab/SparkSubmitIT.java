package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlab.producer.EmbeddedKafkaBroker;
import dev.streamlab.producer.LineSender;
import dev.streamlab.producer.LineServer;
import dev.streamlab.testkit.Feeds;
import dev.streamlab.variance.Tally;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar run the way {@code spark-submit} runs it: {@code org.apache.spark.deploy.SparkSubmit}
 * in a JVM of its own, whose class path holds only what a Spark distribution ships ({@link
 * SparkDistribution#jars()}), plus the job jar.
 */
class SparkSubmitIT {

  @TempDir Path dir;

  @Test
  void theVarianceJobCountsEveryNumberOfAKafkaTopic() throws Exception {
    List<String> lines = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      lines.add(random.nextGaussian() * 10 + 1e6 + " " + random.nextInt(100));
    }
    Tally sent = Tally.of(lines.iterator());
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start("127.0.0.1", 0, dir.resolve("kafka"))) {
      try (LineSender sender =
          new LineSender(broker.bootstrapServers(), "submitted", Duration.ofSeconds(10))) {
        lines.forEach(sender::send);
      }

      Run run =
          submit(
              "run",
              "variance",
              "--bootstrap-server",
              broker.bootstrapServers(),
              "--topic",
              "submitted",
              "--format",
              "json",
              "--duration",
              "12s");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode last =
          new ObjectMapper().readTree(run.out().strip().lines().reduce((a, b) -> b).orElseThrow());
      assertThat(last.get("final").asBoolean()).as(run.out()).isTrue();
      assertThat(last.get("n").asLong()).isEqualTo(sent.stats().count());
      assertThat(last.get("sum_x").asDouble()).isEqualTo(sent.stats().sum());
    }
  }

  @Test
  void theVenuesJobReadsASocketAndSavesItsVenues() throws Exception {
    String rsvp = "{\"venue\":{\"venue_name\":\"Galvanize\",\"venue_id\":7},\"response\":\"yes\"}";
    List<String> lines = List.of("HTTP/1.1 200 OK", rsvp, "{\"response\":\"no\"}", rsvp);
    String prefix = dir.resolve("saved/venues").toString();
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      Thread serving = Feeds.serveInBackground(server, lines, 4);

      Run run =
          submit(
              "run",
              "venues",
              "--socket",
              "127.0.0.1:" + server.port(),
              "--batch",
              "2s",
              "--duration",
              "10s",
              "--save",
              prefix);

      serving.join(5_000);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).contains("3 RSVPs, 2 with a venue, 1 line skipped");
    }
    assertThat(Feeds.savedLines(dir.resolve("saved")))
        .containsExactly(
            "{\"venue_name\":\"Galvanize\",\"venue_id\":7}",
            "{\"venue_name\":\"Galvanize\",\"venue_id\":7}");
  }

  @Test
  void withoutABrokerTheVarianceJobAsksForOne() throws Exception {
    Run run = submit("run", "variance");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("this build has no embedded Kafka broker")
        .contains("--bootstrap-server");
  }

  private record Run(int exitCode, String out, String err) {}

  private Run submit(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(
        Arrays.asList(Files.readString(Path.of("target/jvm-flags.txt")).trim().split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            SparkDistribution.jars().stream()
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--class",
            "dev.streamlab.lab.LabCli",
            SparkDistribution.jobJar().toString()));
    command.addAll(Arrays.asList(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("spark-submit did not end in 120 s: " + Files.readString(err));
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
