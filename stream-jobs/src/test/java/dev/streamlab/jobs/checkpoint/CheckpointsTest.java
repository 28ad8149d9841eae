package dev.streamlab.jobs.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint directory's checks, on real directories; no job starts here. */
class CheckpointsTest {

  @TempDir Path dir;

  @Test
  void aDirectoryThatCannotBeCreatedIsNamedAndNothingStarts() throws IOException {
    Files.writeString(dir.resolve("file"), "");
    String checkpoint = dir.resolve("file/checkpoint").toString();
    AtomicBoolean created = new AtomicBoolean();

    assertThatThrownBy(() -> Checkpoints.getOrCreate(checkpoint, "variance", () -> create(created)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot use checkpoint directory " + checkpoint + ": ")
        .hasMessageContaining(dir.resolve("file").toString());
    assertThat(created).isFalse();
  }

  @Test
  void aNewDirectoryIsRemovedWhenTheJobFailsToStart() {
    Path checkpoint = dir.resolve("new/checkpoint");

    assertThatThrownBy(() -> startFailing(checkpoint)).hasMessage("cannot look up topic variance");
    assertThat(checkpoint).doesNotExist();
    assertThat(dir.resolve("new")).isDirectory(); // only what was made for the job goes
  }

  @Test
  void anExistingDirectoryStaysButLosesItsMarkWhenTheJobFailsToStart() throws IOException {
    Path checkpoint = Files.createDirectories(dir.resolve("existing"));
    Files.writeString(checkpoint.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> startFailing(checkpoint)).hasMessage("cannot look up topic variance");
    try (var files = Files.list(checkpoint)) {
      assertThat(files).containsExactly(checkpoint.resolve("notes.txt"));
    }
  }

  @Test
  void aNewJobMarksItsDirectoryWithItsNameAndBuild() throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    AtomicBoolean created = new AtomicBoolean();

    Checkpoints.getOrCreate(checkpoint.toString(), "word-count", () -> create(created));

    assertThat(created).isTrue();
    assertThat(Files.readAllLines(checkpoint.resolve(CheckpointDirectory.MARKER)))
        .contains("job=word-count", "version=" + CheckpointDirectory.buildVersion());
    assertThat(CheckpointDirectory.buildVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void aCheckpointOfAnotherJobIsRefusedByName() throws IOException {
    Path checkpoint = checkpointWrittenBy("word-count", CheckpointDirectory.buildVersion());

    assertThatThrownBy(
            () -> Checkpoints.getOrCreate(checkpoint.toString(), "variance", () -> create(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the checkpoint in "
                + checkpoint
                + " belongs to the 'word-count' job, not to 'variance': give another --checkpoint"
                + " directory");
  }

  @Test
  void aCheckpointOfAnotherBuildIsRefusedWithBothVersions() throws IOException {
    Path checkpoint = checkpointWrittenBy("variance", "0.0.9");

    assertThatThrownBy(
            () -> Checkpoints.getOrCreate(checkpoint.toString(), "variance", () -> create(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the checkpoint in "
                + checkpoint
                + " was written by version 0.0.9, this is "
                + CheckpointDirectory.buildVersion()
                + ": it is Spark's own checkpoint (of a job on a socket or a directory), which only"
                + " the build that wrote it can recover; run version 0.0.9 on it to go on, or give"
                + " another --checkpoint directory to start fresh (this one is left as it is)");
  }

  @Test
  void theStateOfAJobOnKafkaIsRefusedToAJobOnASocketOrADirectory() throws IOException {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    Files.writeString(checkpoint.resolve(CheckpointDirectory.STATE_FILE), "a Kafka job's state");
    Files.writeString(
        checkpoint.resolve(CheckpointDirectory.MARKER),
        "job=word-count\nversion=" + CheckpointDirectory.buildVersion() + "\nstate=job-state\n");

    assertThatThrownBy(
            () -> Checkpoints.getOrCreate(checkpoint.toString(), "word-count", () -> create(null)))
        .isInstanceOf(CheckpointMismatchException.class)
        .hasMessage(
            "the checkpoint in "
                + checkpoint
                + " holds the state of a job on Kafka (job-state), not Spark's checkpoint of a job"
                + " on a socket or a directory: give another --checkpoint directory");
    assertThat(Files.list(checkpoint).map(file -> file.getFileName().toString()))
        .as("nothing written beside it")
        .containsExactlyInAnyOrder(CheckpointDirectory.STATE_FILE, CheckpointDirectory.MARKER);
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("checkpoint"), "");

    assertThatThrownBy(
            () -> Checkpoints.getOrCreate(file.toString(), "variance", () -> create(null)))
        .hasMessage("checkpoint directory " + file + " is a file");
  }

  /** A job whose start fails the way one on an unreachable Kafka does. */
  private static void startFailing(Path checkpoint) {
    Checkpoints.getOrCreate(
        checkpoint.toString(),
        "variance",
        () -> {
          throw new IllegalStateException("cannot look up topic variance");
        });
  }

  private Path checkpointWrittenBy(String job, String version) throws IOException {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    Files.writeString(checkpoint.resolve("checkpoint-1700000000000"), "a Spark checkpoint");
    Files.writeString(
        checkpoint.resolve(CheckpointDirectory.MARKER),
        "job=" + job + "\nversion=" + version + "\n");
    return checkpoint;
  }

  /** Stands in for a job's context factory; no test here gets as far as needing a context. */
  private static JavaStreamingContext create(AtomicBoolean called) {
    if (called != null) {
      called.set(true);
    }
    return null;
  }
}
