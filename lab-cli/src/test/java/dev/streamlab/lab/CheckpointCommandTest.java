package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab-cli checkpoint show, export, import} on the checkpoint of a real run of the variance
 * job, and the job resumed on an imported savepoint, exactly; bad savepoints, one line each.
 */
class CheckpointCommandTest {

  @TempDir Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void aCheckpointIsShownExportedAndImportedAndItsJobGoesOnExactlyFromTheImport() throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    List<String> sent = send("saved", 0, 10);
    CommandRun first = run(checkpoint);
    assertThat(first.exitCode()).as(first.err()).isZero();
    Tally counted = Tally.of(sent.iterator());
    List<String> printed = first.out().strip().lines().toList();
    String lastBatch = LabJson.read(printed.get(printed.size() - 1)).path("time").asText();

    CommandRun shown = CommandRun.of("", "checkpoint", "show", checkpoint.toString());
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains(
            "checkpoint " + checkpoint + ": the 'variance' job on topic saved, state format 2")
        .contains("  next offsets: saved-0 at 10")
        .contains("  records lost (deleted before they were read): 0")
        .contains(
            "  last batch saved: "
                + lastBatch
                + " (its report is written again when the job resumes with --output-topic)")
        .contains("  " + LabFormat.tuple(counted.stats(), Algorithm.STABLE));
    JsonNode json =
        LabJson.read(
            CommandRun.of("", "checkpoint", "show", checkpoint.toString(), "--format", "json")
                .out()
                .strip());
    assertThat(json.path("job").asText()).isEqualTo("variance");
    assertThat(json.path("offsets").path("saved-0").asLong()).isEqualTo(10);
    assertThat(json.path("cluster_id").asText()).isNotEmpty();
    assertThat(json.path("last_batch").asText()).isEqualTo(lastBatch);
    assertThat(ExactSums.of(json.path("state"))).isEqualTo(ExactSums.of(counted.stats()));

    Path savepoint = dir.resolve("saved.savepoint");
    assertThat(
            CommandRun.of("", "checkpoint", "export", checkpoint.toString(), savepoint.toString())
                .exitCode())
        .isZero();
    assertOneLine(
        CommandRun.of("", "checkpoint", "export", checkpoint.toString(), savepoint.toString()),
        savepoint + " exists: give the savepoint a new file");
    Path moved = dir.resolve("elsewhere/checkpoint");
    CommandRun imported =
        CommandRun.of("", "checkpoint", "import", savepoint.toString(), moved.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.err()).contains("run the job with --checkpoint " + moved);
    assertOneLine(
        CommandRun.of("", "checkpoint", "import", savepoint.toString(), moved.toString()),
        "checkpoint directory "
            + moved
            + " already holds a checkpoint: import into a new directory");

    List<String> all = new ArrayList<>(sent);
    all.addAll(send("saved", 10, 5));
    CommandRun resumed = run(moved);
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    List<String> lines = resumed.out().strip().lines().toList();
    JsonNode summary = LabJson.read(lines.get(lines.size() - 1));
    assertThat(summary.path("final").asBoolean()).as("%s", summary).isTrue();
    assertThat(ExactSums.of(summary)).isEqualTo(ExactSums.of(Tally.of(all.iterator()).stats()));
  }

  @Test
  void badSavepointsAndCheckpointsAreOneLineEach() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage"), "not a savepoint");
    assertOneLine(
        CommandRun.of("", "checkpoint", "import", garbage.toString(), dir.resolve("a").toString()),
        "is not a job state of this project");
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertOneLine(
        CommandRun.of("", "checkpoint", "import", empty.toString(), dir.resolve("b").toString()),
        "is empty");
    assertOneLine(
        CommandRun.of("", "checkpoint", "import", dir.resolve("missing").toString(), "c"),
        "no such file: " + dir.resolve("missing"));
    assertOneLine(
        CommandRun.of("", "checkpoint", "show", dir.resolve("none").toString()),
        "no such checkpoint directory: " + dir.resolve("none"));
    assertOneLine(
        CommandRun.of("", "checkpoint", "show", dir.toString()),
        "holds no job state (job-state): it is not the checkpoint of a job on Kafka");
    assertThat(dir.resolve("a")).doesNotExist();
  }

  private CommandRun run(Path checkpoint) {
    return CommandRun.of(
        "",
        VarianceRuns.command(kafka.bootstrapServers(), "saved", checkpoint, "--duration", "6s"));
  }

  /** Sends {@code count} lines of three numbers, numbered from {@code from}; returns them. */
  private static List<String> send(String topic, int from, int count) throws Exception {
    List<String> lines = new ArrayList<>();
    try (LineSender sender =
        new LineSender(kafka.bootstrapServers(), topic, Duration.ofSeconds(10))) {
      for (int i = from; i < from + count; i++) {
        String line = (i + 1) + " " + (1e9 + i * 0.25) + " -" + i;
        sender.send(line);
        lines.add(line);
      }
      sender.flush();
    }
    return lines;
  }

  private static void assertOneLine(CommandRun run, String text) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).contains(text).doesNotContain("\tat ").doesNotContain("delete");
  }
}
