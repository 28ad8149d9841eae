package dev.streamlab.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * A job's state and the Kafka offsets it covers, kept together in one file of the checkpoint
 * directory and replaced atomically after every batch.
 *
 * <p>Why not Spark's own checkpoint: recovering a Kafka direct stream from it races. After a
 * restart Spark generates the batches it missed on one thread while batches that complete write
 * checkpoints on another; a checkpoint can then hold the stream's next offsets without the batch
 * that read up to them, and the records in between are never read. Measured: {@code JobCrashIT}
 * lost 4 of 1,350 lines in 2 runs of 5 with Spark's checkpoint. Keeping the offsets in the same
 * write as the state they produced (the way Spark's Kafka guide recommends for exactly-once output)
 * leaves no such gap: a batch counts once it is written, and a job restarted from the file reads on
 * from exactly its offsets.
 *
 * @param <S> the job's state, serialized with Java serialization
 */
final class StateStore<S extends Serializable> {

  /** The file name, beside the checkpoint marker. */
  static final String FILE = "job-state";

  /**
   * What is kept: the state after a batch, where each partition's next record is, and how many
   * records were found deleted before they could be read (when the job went on past them).
   */
  record Saved<S extends Serializable>(S state, Map<TopicPartition, Long> offsets, long lostRecords)
      implements Serializable {

    /** A new job's: {@code state}, no offsets yet. */
    static <S extends Serializable> Saved<S> start(S state) {
      return new Saved<>(state, Map.of(), 0);
    }

    /** The saved state after one more batch, which read {@code ranges} and found {@code lost}. */
    Saved<S> advance(S next, OffsetRange[] ranges, List<LostRecords> lost) {
      Map<TopicPartition, Long> offsets = new HashMap<>(this.offsets);
      for (OffsetRange range : ranges) {
        offsets.put(range.topicPartition(), range.untilOffset());
      }
      return new Saved<>(next, Map.copyOf(offsets), lostRecords + LostRecords.count(lost));
    }
  }

  private final Path file;
  private final Path temporary;
  private final java.nio.file.Path localFile; // the file on this machine's disk, or null
  private FileContext files; // made on first use, then kept: saving runs after every batch

  /** The store of the checkpoint directory {@code dir}: a path, or a Hadoop file system URI. */
  StateStore(String dir) {
    this(dir, false);
  }

  /**
   * {@code viaHadoop}: also a local directory through Hadoop's file system, as on HDFS (for tests).
   * Otherwise a local directory is written with java.nio: Hadoop's local file system without its
   * native library forks a shell to set permissions, which took 40–120 ms of every batch.
   */
  StateStore(String dir, boolean viaHadoop) {
    this.file = new Path(dir, FILE);
    this.temporary = new Path(dir, "." + FILE + ".tmp");
    String scheme = file.toUri().getScheme();
    this.localFile =
        !viaHadoop && (scheme == null || scheme.equals("file"))
            ? java.nio.file.Path.of(file.toUri().getPath())
            : null;
  }

  /** The last saved state, if there is one. */
  Optional<Saved<S>> load() {
    try {
      if (localFile != null) {
        if (!Files.exists(localFile)) {
          return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(localFile)) {
          return Optional.of(read(in));
        }
      }
      FileContext files = files();
      if (!files.util().exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = files.open(file)) {
        return Optional.of(read(in));
      }
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot read the job's state in "
              + file
              + " (written by another build?); delete the checkpoint directory, or give another"
              + " --checkpoint directory, to start fresh",
          e);
    }
  }

  /**
   * Replaces the saved state: written to a temporary file, forced to disk, then renamed over the
   * old one, so that a reader sees the old state or the new one, never a mix.
   */
  void save(Saved<S> saved) {
    try {
      byte[] bytes = serialize(saved);
      if (localFile != null) {
        saveLocally(bytes);
        return;
      }
      FileContext files = files();
      try (FSDataOutputStream out =
          files.create(
              temporary,
              EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE),
              Options.CreateOpts.createParent())) {
        out.write(bytes);
        out.hsync();
      }
      files.rename(temporary, file, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the job's state in " + file, e);
    }
  }

  private void saveLocally(byte[] bytes) throws IOException {
    java.nio.file.Path dir = localFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    java.nio.file.Path next = dir.resolve(temporary.getName());
    try (FileChannel channel =
        FileChannel.open(
            next,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(
        next, localFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] serialize(Saved<?> saved) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
      objects.writeObject(saved);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked") // what this store wrote: a job's checkpoint is marked as its own
  private Saved<S> read(InputStream in) throws IOException, ClassNotFoundException {
    return (Saved<S>) new ObjectInputStream(in).readObject();
  }

  private FileContext files() throws IOException {
    if (files == null) {
      Configuration conf = new Configuration();
      files =
          file.toUri().getScheme() == null
              ? FileContext.getFileContext(conf)
              : FileContext.getFileContext(file.toUri(), conf);
    }
    return files;
  }
}
