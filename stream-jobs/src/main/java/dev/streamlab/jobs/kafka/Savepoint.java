package dev.streamlab.jobs.kafka;

import dev.streamlab.jobs.checkpoint.CheckpointDirectory;
import dev.streamlab.jobs.checkpoint.CheckpointLock;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Kafka job's checkpoint holds, read without running the job; and a savepoint, the same
 * state in one self-contained file of the current format ({@code StateStore#encode}), to move it to
 * another directory, file system or machine, or to keep it.
 */
public final class Savepoint {

  /**
   * What a checkpoint or savepoint holds.
   *
   * @param format the format it was written in (0: release 0.1.0's)
   * @param identity what it counts; null for a state of release 0.1.0 that no run has resumed yet
   * @param offsets each partition's next offset to read
   * @param lostRecords the records found deleted before they were read, when the job went on
   * @param state the job's state: a {@link VarianceState}, {@link WordCountState}, {@link
   *     WindowCountState} or {@link dev.streamlab.variance.Tally}; null for a job that keeps none
   * @param lastBatch the batch that left the state, whose report a restarted job makes again; null
   *     before the first batch, and in a state of a build before format 2 until its next batch
   */
  public record Contents(
      int format,
      CheckpointIdentity identity,
      Map<TopicPartition, Long> offsets,
      long lostRecords,
      Object state,
      KafkaInput.Batch lastBatch) {}

  private Savepoint() {}

  /**
   * What the checkpoint directory {@code dir} holds.
   *
   * @throws IllegalStateException when it holds no job state, or one that cannot be read, saying
   *     why
   */
  public static Contents show(String dir, StateCodecs codecs) {
    CheckpointDirectory directory = CheckpointDirectory.of(dir);
    if (!directory.existed()) {
      throw new IllegalStateException("no such checkpoint directory: " + dir);
    }
    try {
      directory.requireStateBesideMarker();
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
    StateStore<Serializable> store = new StateStore<>(dir, codecs);
    byte[] bytes =
        store
            .bytes()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the checkpoint in "
                            + dir
                            + " holds no job state ("
                            + StateStore.FILE
                            + "): it is not the checkpoint of a job on Kafka"));
    return contents(StateStore.formatOf(bytes), identified(dir, store.decode(bytes)));
  }

  /**
   * {@code saved}, a state of release 0.1.0 given the job its directory's marker names and the
   * topic its offsets name: the first run that resumes it records the cluster and the topic's id.
   */
  private static StateStore.Saved<Serializable> identified(
      String dir, StateStore.Saved<Serializable> saved) {
    if (saved.identity() != null) {
      return saved;
    }
    String job = CheckpointDirectory.of(dir).job();
    String topic =
        saved.offsets().keySet().stream().map(TopicPartition::topic).findFirst().orElse(null);
    return job == null || topic == null
        ? saved
        : saved.identifiedAs(CheckpointIdentity.unrecorded(job, topic));
  }

  /**
   * Writes the state of the checkpoint directory {@code dir} to the new file {@code file}, in the
   * current format.
   *
   * @return what was written
   * @throws IllegalStateException when {@code dir} holds no state, or one that does not say which
   *     job and topic it counts, or {@code file} exists
   */
  public static Contents export(String dir, Path file, StateCodecs codecs) {
    show(dir, codecs); // refuses what is no state, saying why
    StateStore.Saved<Serializable> saved =
        identified(dir, new StateStore<Serializable>(dir, codecs).load().orElseThrow());
    if (saved.identity() == null) {
      throw new IllegalStateException(
          "the checkpoint in "
              + dir
              + " does not say which job or topic it counts (a state of release 0.1.0 without"
              + " its marker, or without offsets): run its job on it once, then export it");
    }
    try {
      Files.write(file, StateStore.encode(saved, codecs), StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(file + " exists: give the savepoint a new file");
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("cannot write " + file + ": its directory does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return contents(StateStore.FORMAT, saved);
  }

  /**
   * Makes {@code dir} the checkpoint directory of the savepoint {@code file}: its job resumed there
   * goes on from the savepoint's offsets and state.
   *
   * @return what was imported
   * @throws IllegalStateException when {@code file} cannot be read or is no savepoint, or {@code
   *     dir} already holds a checkpoint, saying which
   */
  public static Contents importInto(Path file, String dir, StateCodecs codecs) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalStateException(
            "the savepoint " + file + " is a directory: give the file 'checkpoint export' wrote");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("no such file: " + file);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the savepoint "
              + file
              + ": "
              + (e.getMessage() != null ? e.getMessage() : e));
    }
    StateStore.Saved<Serializable> saved =
        StateStore.decoding(file.toString(), codecs).decode(bytes);
    if (saved.identity() == null) {
      throw new IllegalStateException(
          "the savepoint "
              + file
              + " does not say which job it is of (a state file of release 0.1.0, not a"
              + " savepoint): export its checkpoint directory with 'checkpoint export', and import"
              + " that");
    }
    CheckpointDirectory directory = CheckpointDirectory.of(dir);
    try {
      if (directory.existed() && (directory.holdsCheckpoint() || directory.job() != null)) {
        throw new IllegalStateException(
            "checkpoint directory "
                + dir
                + " already holds a checkpoint: import into a new directory (this one is left as"
                + " it is)");
      }
      directory.create();
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
    try (CheckpointLock lock = CheckpointLock.acquire(dir, saved.identity().job())) {
      new StateStore<Serializable>(dir, codecs).save(saved);
      directory.mark(saved.identity().job(), true);
    } catch (IOException e) {
      throw CheckpointDirectory.cannotUse(dir, e);
    }
    return contents(StateStore.FORMAT, saved);
  }

  private static Contents contents(int format, StateStore.Saved<Serializable> saved) {
    Object state = saved.state() == KafkaInput.Stateless.INSTANCE ? null : saved.state();
    return new Contents(
        format, saved.identity(), saved.offsets(), saved.lostRecords(), state, saved.lastBatch());
  }
}
