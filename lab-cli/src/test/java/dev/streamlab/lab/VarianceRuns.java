package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.variance.Stats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the tests of {@code lab-cli run variance} in a process of its own share: the command, with a
 * JSON report every 1 s batch, and reading those reports.
 */
final class VarianceRuns {

  private VarianceRuns() {}

  /** {@code run variance} on {@code topic} with a checkpoint, reporting every batch in JSON. */
  static String[] command(String bootstrap, String topic, Path checkpoint, String... more) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "variance",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--checkpoint",
                checkpoint.toString(),
                "--slide",
                "1s",
                "--window",
                "1s",
                "--format",
                "json"));
    command.addAll(Arrays.asList(more));
    return command.toArray(String[]::new);
  }

  /** The cumulative n of a JSON report line. */
  static long n(String reportLine) {
    return report(reportLine).get("n").asLong();
  }

  /** The last report of {@code run}, which must be its final summary. */
  static JsonNode finalSummary(JobProcess run) {
    List<String> lines = run.outLines();
    JsonNode summary = report(lines.get(lines.size() - 1));
    assertThat(summary.path("final").asBoolean()).as("a final summary: %s", summary).isTrue();
    return summary;
  }

  /** Asserts that {@code summary} holds exactly the n, Σx and Σx² of {@code sent}. */
  static void assertExact(JsonNode summary, Stats sent) {
    assertThat(ExactSums.of(summary)).isEqualTo(ExactSums.of(sent));
  }

  private static JsonNode report(String line) {
    return LabJson.read(line);
  }
}
