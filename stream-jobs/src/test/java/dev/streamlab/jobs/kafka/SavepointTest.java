package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.VarianceState;
import dev.streamlab.jobs.WordCountState;
import dev.streamlab.jobs.checkpoint.CheckpointDirectory;
import dev.streamlab.jobs.checkpoint.CheckpointLock;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints ({@link Savepoint}): every state format a build reads goes through export and import
 * unchanged, in the current format, into a directory its job resumes from; what is no savepoint, or
 * lands on a checkpoint, is refused with its own message.
 */
class SavepointTest {

  @TempDir Path dir;

  @Test
  void aStateOfRelease010GoesThroughExportAndImportWithItsJobAndTopic() throws IOException {
    Path old = release010Checkpoint();
    Path savepoint = dir.resolve("legacy.savepoint");

    Savepoint.export(old.toString(), savepoint, JobStates.CODECS);
    Savepoint.Contents imported =
        Savepoint.importInto(savepoint, dir.resolve("new").toString(), JobStates.CODECS);

    assertThat(StateStore.formatOf(Files.readAllBytes(savepoint))).isEqualTo(StateStore.FORMAT);
    assertThat(imported.identity()).isEqualTo(CheckpointIdentity.unrecorded("variance", "legacy"));
    StateStore.Saved<Serializable> saved =
        new StateStore<>(dir.resolve("new").toString(), JobStates.CODECS).load().orElseThrow();
    StateStore.Saved<Serializable> before =
        new StateStore<>(old.toString(), JobStates.CODECS).load().orElseThrow();
    assertThat(saved.offsets()).isEqualTo(Map.of(new TopicPartition("legacy", 0), 10L));
    assertThat(saved.state()).isEqualTo(before.state());
    assertThat(((VarianceState) saved.state()).total().stats())
        .isEqualTo(Tally.of(StateStoreTest.legacyLines().iterator()).stats());
    assertThat(Files.readString(dir.resolve("new").resolve(CheckpointDirectory.MARKER)))
        .contains("job=variance", "state=job-state");
    assertThat(dir.resolve("new").resolve(CheckpointLock.FILE)).as("released").doesNotExist();
  }

  @Test
  void aStateOfTheCurrentFormatComesBackTheSameByteForByte() throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    StateStore<Serializable> store = new StateStore<>(checkpoint.toString(), JobStates.CODECS);
    CheckpointIdentity identity = new CheckpointIdentity("word-count", "words", "c-1", "t-1");
    store.save(
        new StateStore.Saved<>(
            new WordCountState(Map.of("a", 2L, "b", 1L)),
            Map.of(new TopicPartition("words", 0), 3L),
            2,
            identity,
            new KafkaInput.Batch(
                1_700_000_000_000L,
                2,
                List.of(new LostRecords("words", 0, 1, 3)),
                List.of(),
                List.of(new PartitionLag("words", 0, 3, 5, 6)))));
    Path savepoint = dir.resolve("words.savepoint");

    Savepoint.export(checkpoint.toString(), savepoint, JobStates.CODECS);
    Savepoint.importInto(savepoint, dir.resolve("copy").toString(), JobStates.CODECS);

    assertThat(Files.readAllBytes(dir.resolve("copy").resolve(StateStore.FILE)))
        .isEqualTo(Files.readAllBytes(checkpoint.resolve(StateStore.FILE)))
        .isEqualTo(Files.readAllBytes(savepoint));
    Savepoint.Contents copy = Savepoint.show(dir.resolve("copy").toString(), JobStates.CODECS);
    assertThat(copy.identity()).isEqualTo(identity);
    assertThat(copy.lastBatch().lag()).containsExactly(new PartitionLag("words", 0, 3, 5, 6));
  }

  @Test
  void whatIsNoSavepointOrLandsOnACheckpointIsRefusedAsSuch() throws IOException {
    Path checkpoint = release010Checkpoint();
    Path savepoint = dir.resolve("sp");
    Savepoint.export(checkpoint.toString(), savepoint, JobStates.CODECS);

    assertThatThrownBy(
            () -> Savepoint.importInto(savepoint, checkpoint.toString(), JobStates.CODECS))
        .hasMessage(
            "checkpoint directory "
                + checkpoint
                + " already holds a checkpoint: import into a new directory (this one is left as"
                + " it is)");
    assertThatThrownBy(() -> Savepoint.export(checkpoint.toString(), savepoint, JobStates.CODECS))
        .hasMessage(savepoint + " exists: give the savepoint a new file");
    Path raw = dir.resolve("raw");
    Files.write(raw, StateStoreTest.release010State());
    assertThatThrownBy(
            () -> Savepoint.importInto(raw, dir.resolve("x").toString(), JobStates.CODECS))
        .hasMessageStartingWith(
            "the savepoint " + raw + " does not say which job it is of (a state file of release");
    byte[] good = Files.readAllBytes(savepoint);
    Path cut = Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(good, good.length - 3));
    assertThatThrownBy(
            () -> Savepoint.importInto(cut, dir.resolve("y").toString(), JobStates.CODECS))
        .hasMessageStartingWith("the job's state in " + cut + " is cut short or has bytes added");
    assertThat(dir.resolve("x")).doesNotExist();
    assertThat(dir.resolve("y")).doesNotExist();

    assertThatThrownBy(
            () -> Savepoint.importInto(checkpoint, dir.resolve("z").toString(), JobStates.CODECS))
        .hasMessage(
            "the savepoint "
                + checkpoint
                + " is a directory: give the file 'checkpoint export'"
                + " wrote");
    // A checkpoint that lost its state file: said so by show, and no import lands on it.
    Path lost = dir.resolve("lost");
    Savepoint.importInto(savepoint, lost.toString(), JobStates.CODECS);
    Files.delete(lost.resolve(StateStore.FILE));
    assertThatThrownBy(() -> Savepoint.show(lost.toString(), JobStates.CODECS))
        .hasMessageStartingWith("the checkpoint in " + lost + " has lost its state");
    assertThatThrownBy(() -> Savepoint.importInto(savepoint, lost.toString(), JobStates.CODECS))
        .hasMessageContaining("already holds a checkpoint");
    assertThat(lost.resolve(StateStore.FILE)).doesNotExist();
  }

  /** A checkpoint directory as release 0.1.0 left it. */
  private Path release010Checkpoint() throws IOException {
    Path checkpoint = Files.createDirectories(dir.resolve("release-0.1.0"));
    for (String file : List.of(StateStore.FILE, CheckpointDirectory.MARKER)) {
      try (InputStream in = StateStoreTest.class.getResourceAsStream("release-0.1.0/" + file)) {
        Files.copy(in, checkpoint.resolve(file));
      }
    }
    return checkpoint;
  }
}
