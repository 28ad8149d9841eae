package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.cluster.ChildJvm;
import dev.streamlab.lab.cluster.SparkDistribution;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineServer;
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
import java.util.Map;
import java.util.Random;
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
      JsonNode last = LabJson.read(run.out().strip().lines().reduce((a, b) -> b).orElseThrow());
      assertThat(last.get("final").asBoolean()).as(run.out()).isTrue();
      assertThat(ExactSums.of(last)).isEqualTo(ExactSums.of(sent.stats()));
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
    List<String> options = new ArrayList<>(List.of("-Xmx768m"));
    options.addAll(JobProcess.sparkJvmFlags());
    List<String> submitArgs =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--class",
                LabCli.class.getName(),
                SparkDistribution.jobJar().toString()));
    submitArgs.addAll(Arrays.asList(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    try (ChildJvm submit =
        ChildJvm.start(
            new ChildJvm.Spec(
                "spark-submit",
                SparkDistribution.jars().stream()
                    .map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator)),
                options,
                Map.of(),
                "org.apache.spark.deploy.SparkSubmit",
                submitArgs),
            out,
            err)) {
      int exitCode =
          submit
              .awaitExit(Duration.ofSeconds(120))
              .orElseThrow(
                  () -> new AssertionError("spark-submit did not end in 120 s; see " + err));
      return new Run(exitCode, read(out), read(err));
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
