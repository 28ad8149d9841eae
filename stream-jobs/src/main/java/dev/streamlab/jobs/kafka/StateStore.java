package dev.streamlab.jobs.kafka;

import dev.streamlab.jobs.checkpoint.CheckpointDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
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
 * <p>The file ({@value #FILE}): the magic {@code SLST}, the format version ({@value #FORMAT}), the
 * length of what follows and its CRC-32C, then the identity, offsets, records lost, the job's state
 * and the batch that left it, each in an encoding of this project's that no Java class layout
 * decides ({@link #encode}, {@link StateCodec}). The files of earlier builds are read too ({@link
 * #decode}): format 1, without the batch, and release 0.1.0's, the {@link Saved} record alone in
 * Java serialization (format 0); each is rewritten in the current format at the first save. A file
 * cut short or changed since it was written is refused as such, never taken for a new job; one of a
 * newer format says so.
 *
 * <p>Each save writes a temporary file of its own name, forces it to disk, renames it over the last
 * one and, on a local disk, forces the directory too, so that the rename survives a power loss.
 *
 * @param <S> the job's state, of a kind {@link StateCodec} writes
 */
final class StateStore<S extends Serializable> {

  /** The file name, beside the checkpoint marker. */
  static final String FILE = CheckpointDirectory.STATE_FILE;

  /** The first bytes of a state file since format 1 (release 0.1.0's has none). */
  private static final int MAGIC = 0x534C5354; // "SLST"

  /** The format this build writes, and the newest it reads. */
  static final int FORMAT = 2;

  /** The format before the batch was kept: the identity, offsets, records lost and state. */
  static final int FORMAT_WITHOUT_BATCH = 1;

  /** The first two bytes of Java serialization: release 0.1.0 wrote the record alone. */
  private static final int JAVA_SERIALIZATION = 0xACED;

  private static final String TEMPORARY_PREFIX = "." + FILE + ".";

  /**
   * What is kept: the state after a batch, where each partition's next record is, how many records
   * were found deleted before they could be read (when the job went on past them), and what the
   * state counts.
   *
   * @param identity the job, cluster and topic counted; null in a state saved by release 0.1.0,
   *     until the first run that resumes it records it
   * @param lastBatch the batch that left {@code state}, what its report said beside the state (so
   *     that a restarted job can make that report again, the same); null before a job's first
   *     batch, and in a state saved by a build before format 2 until its next batch
   */
  record Saved<S extends Serializable>(
      S state,
      Map<TopicPartition, Long> offsets,
      long lostRecords,
      CheckpointIdentity identity,
      KafkaInput.Batch lastBatch)
      implements Serializable {

    /** A new job's: {@code state}, starting at {@code offsets}, counting {@code identity}. */
    static <S extends Serializable> Saved<S> start(
        S state, Map<TopicPartition, Long> offsets, CheckpointIdentity identity) {
      return new Saved<>(state, Map.copyOf(offsets), 0, identity, null);
    }

    /** This saved state, counting {@code identity}. */
    Saved<S> identifiedAs(CheckpointIdentity identity) {
      return new Saved<>(state, offsets, lostRecords, identity, lastBatch);
    }

    /**
     * This saved state with the job's state {@code state}, which no batch has left yet (a new job's
     * first state).
     */
    <T extends Serializable> Saved<T> holding(T state) {
      return new Saved<>(state, offsets, lostRecords, identity, null);
    }

    /**
     * The saved state after one more batch, {@code plan} of {@code timeMillis}, which left the
     * job's state {@code next}. The batch must go on exactly where this state ends: each of its
     * ranges starts at the saved offset of its partition (0 for one not seen before), or where the
     * plan says it went on past a loss from there.
     *
     * @throws IllegalStateException when a range starts elsewhere: a batch before it was not saved
     *     (it failed), or batches ran out of order; nothing may then be saved
     */
    Saved<S> advance(S next, BatchPlanner.Plan plan, long timeMillis) {
      Map<TopicPartition, Long> expected =
          new HashMap<>(plan.topicId() != null ? Map.of() : offsets);
      for (BatchPlanner.Rewind rewind : plan.rewinds()) {
        Long saved = offsets.get(rewind.partition());
        if (saved == null || saved != rewind.savedOffset()) {
          throw outOfOrder(rewind.partition(), rewind.savedOffset(), saved);
        }
        expected.put(rewind.partition(), rewind.restartOffset());
      }
      for (LostRecords lost : plan.lost()) {
        TopicPartition partition = new TopicPartition(lost.topic(), lost.partition());
        long from = expected.getOrDefault(partition, 0L);
        if (from != lost.fromOffset()) {
          throw outOfOrder(partition, lost.fromOffset(), from);
        }
        expected.put(partition, lost.untilOffset());
      }
      Map<TopicPartition, Long> after = new HashMap<>(plan.topicId() != null ? Map.of() : offsets);
      for (OffsetRange range : plan.ranges()) {
        long from = expected.getOrDefault(range.topicPartition(), 0L);
        if (range.fromOffset() != from) {
          throw outOfOrder(range.topicPartition(), range.fromOffset(), from);
        }
        after.put(range.topicPartition(), range.untilOffset());
      }
      CheckpointIdentity counted =
          plan.topicId() != null && identity != null
              ? identity.withTopicId(plan.topicId())
              : identity;
      long lost = lostRecords + LostRecords.count(plan.lost());
      return new Saved<>(
          next,
          Map.copyOf(after),
          lost,
          counted,
          new KafkaInput.Batch(timeMillis, lost, plan.lost(), plan.stalls(), plan.lag()));
    }

    private static IllegalStateException outOfOrder(
        TopicPartition partition, long batchFrom, Long savedTo) {
      return new IllegalStateException(
          "a batch reads "
              + partition
              + " from offset "
              + batchFrom
              + ", but the saved state ends at "
              + (savedTo == null ? "no offset of it" : "offset " + savedTo)
              + ": a batch before it was not saved (it failed) or batches ran out of order, so"
              + " the records between would be skipped; the job stops, and its saved state is"
              + " as it was");
    }
  }

  private final Path file;
  private final Path dir;
  private final java.nio.file.Path localFile; // the file on this machine's disk, or null
  private FileContext files; // made on first use, then kept: saving runs after every batch
  private String where; // what the messages about what was read name
  private boolean savepoint; // whether what is read is a savepoint, not a checkpoint's state
  private final StateCodecs codecs;

  /**
   * The store of the checkpoint directory {@code dir}: a path, or a Hadoop file system URI; {@code
   * codecs} are the kinds of state it writes and reads back.
   */
  StateStore(String dir, StateCodecs codecs) {
    this(dir, codecs, false);
  }

  /**
   * {@code viaHadoop}: also a local directory through Hadoop's file system, as on HDFS (for tests).
   * Otherwise a local directory is written with java.nio: Hadoop's local file system without its
   * native library forks a shell to set permissions, which took 40–120 ms of every batch.
   */
  StateStore(String dir, StateCodecs codecs, boolean viaHadoop) {
    this.codecs = codecs;
    this.file = new Path(dir, FILE);
    this.dir = new Path(dir);
    String scheme = file.toUri().getScheme();
    this.localFile =
        !viaHadoop && (scheme == null || scheme.equals("file"))
            ? java.nio.file.Path.of(file.toUri().getPath())
            : null;
    this.where = file.toString();
  }

  /**
   * A store that only decodes what was read elsewhere (a savepoint file), its messages naming
   * {@code source}.
   */
  static StateStore<Serializable> decoding(String source, StateCodecs codecs) {
    StateStore<Serializable> store = new StateStore<>(".", codecs);
    store.where = source;
    store.savepoint = true;
    return store;
  }

  /** The checkpoint directory of this store. */
  String directory() {
    return dir.toString();
  }

  /** The name of {@code state}'s kind, as the state file writes it. */
  String kindOf(Serializable state) {
    return codecs.of(state).kind();
  }

  /** The format of the state file {@code bytes}: 0 for release 0.1.0's, else its header's. */
  static int formatOf(byte[] bytes) {
    if (bytes.length >= 2 && ((bytes[0] & 0xff) << 8 | (bytes[1] & 0xff)) == JAVA_SERIALIZATION) {
      return 0;
    }
    return bytes.length >= 8 ? ByteBuffer.wrap(bytes, 4, 4).getInt() : -1;
  }

  /** The bytes of the saved state, if there is one. */
  Optional<byte[]> bytes() {
    try {
      if (localFile != null) {
        return Files.exists(localFile)
            ? Optional.of(Files.readAllBytes(localFile))
            : Optional.empty();
      }
      FileContext files = files();
      if (!files.util().exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = files.open(file)) {
        return Optional.of(in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job's state in " + file, e);
    }
  }

  /** Whether a state was saved here. */
  boolean exists() {
    try {
      return localFile != null ? Files.exists(localFile) : files().util().exists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The last saved state, if there is one.
   *
   * @throws IllegalStateException when the file is cut short, corrupt, not a state at all, in a
   *     format newer than this build's, or holds classes this build does not have; saying which
   */
  Optional<Saved<S>> load() {
    return bytes().map(this::decode);
  }

  /**
   * Replaces the saved state: written to a temporary file of its own, forced to disk, then renamed
   * over the old one, so that a reader sees the old state or the new one, never a mix.
   */
  void save(Saved<S> saved) {
    try {
      byte[] bytes = encode(saved, codecs);
      if (localFile != null) {
        saveLocally(bytes);
        return;
      }
      FileContext files = files();
      Path temporary = new Path(dir, temporaryName());
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

  /**
   * Deletes the temporary files of saves that a crash interrupted; call only while the job holds
   * the directory's lock ({@link CheckpointLock}), so that no save of another job is in flight.
   */
  void removeLeftovers() {
    try {
      if (localFile != null) {
        java.nio.file.Path local = localFile.toAbsolutePath().getParent();
        if (Files.isDirectory(local)) {
          try (var entries = Files.newDirectoryStream(local, TEMPORARY_PREFIX + "*.tmp")) {
            for (java.nio.file.Path leftover : entries) {
              Files.deleteIfExists(leftover);
            }
          }
        }
        return;
      }
      FileContext files = files();
      if (files.util().exists(dir)) {
        for (FileStatus status : files.util().listStatus(dir)) {
          String name = status.getPath().getName();
          if (name.startsWith(TEMPORARY_PREFIX) && name.endsWith(".tmp")) {
            files.delete(status.getPath(), false);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the checkpoint directory " + dir, e);
    }
  }

  private void saveLocally(byte[] bytes) throws IOException {
    java.nio.file.Path local = localFile.toAbsolutePath().getParent();
    Files.createDirectories(local);
    java.nio.file.Path next = local.resolve(temporaryName());
    try (FileChannel channel =
        FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(
        next, localFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(local);
  }

  /** Forces a directory's entries to disk (the rename), where the platform allows it. */
  private static void forceDirectory(java.nio.file.Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not every platform opens a directory (Windows): the rename is still atomic there.
    }
  }

  private static String temporaryName() {
    return TEMPORARY_PREFIX + UUID.randomUUID() + ".tmp";
  }

  /**
   * The bytes of a state file of the current format, {@value #FORMAT}: the header (the magic, the
   * format, the length of the body and its CRC-32C, four ints), then the body: the identity (a
   * byte, 1 when there is one, then the job, the topic, the cluster id and the topic id, four
   * strings, the last two empty when not recorded yet), the offsets (a count, then each partition's
   * topic, number and next offset: a string, an int and a long, in order of topic and number), the
   * records lost (a long), the job's state (its kind, a string, then its bytes as {@link
   * StateCodec} writes them, an int length first), and the batch that left it (a byte, 1 when there
   * is one, then its time in epoch milliseconds, a long, and three lists, each a count first: the
   * records it found lost, each a topic, partition, first and end offset; the partitions standing
   * still, each a topic, partition, cause (its name), offset, offsets held back and since when; and
   * the lag, each a topic, partition, next offset, last stable offset and log end offset). Every
   * number is big-endian; a string is an int length and its UTF-8 bytes. Format 1 is the same
   * without the batch.
   */
  static byte[] encode(Saved<?> saved, StateCodecs codecs) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(payload)) {
      CheckpointIdentity identity = saved.identity();
      out.writeBoolean(identity != null);
      if (identity != null) {
        writeString(identity.job(), out);
        writeString(identity.topic(), out);
        writeString(identity.recorded() ? identity.clusterId() : "", out);
        writeString(identity.recorded() ? identity.topicId() : "", out);
      }
      List<Map.Entry<TopicPartition, Long>> offsets = new ArrayList<>(saved.offsets().entrySet());
      offsets.sort(
          Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
              .thenComparingInt(e -> e.getKey().partition()));
      out.writeInt(offsets.size());
      for (Map.Entry<TopicPartition, Long> offset : offsets) {
        writeString(offset.getKey().topic(), out);
        out.writeInt(offset.getKey().partition());
        out.writeLong(offset.getValue());
      }
      out.writeLong(saved.lostRecords());
      StateCodec<?> codec = codecs.of(saved.state());
      writeString(codec.kind(), out);
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      try (DataOutputStream stateOut = new DataOutputStream(state)) {
        codec.writeState(saved.state(), stateOut);
      }
      StateCodec.writeBytes(state.toByteArray(), out);
      writeBatch(saved.lastBatch(), out);
    }
    byte[] body = payload.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(body.length);
      out.writeInt((int) crc.getValue());
      out.write(body);
    }
    return bytes.toByteArray();
  }

  private static void writeBatch(KafkaInput.Batch batch, DataOutputStream out) throws IOException {
    out.writeBoolean(batch != null);
    if (batch == null) {
      return;
    }
    out.writeLong(batch.timeMillis());
    out.writeInt(batch.lostInBatch().size());
    for (LostRecords lost : batch.lostInBatch()) {
      writeString(lost.topic(), out);
      out.writeInt(lost.partition());
      out.writeLong(lost.fromOffset());
      out.writeLong(lost.untilOffset());
    }
    out.writeInt(batch.stalls().size());
    for (KafkaStall stall : batch.stalls()) {
      writeString(stall.topic(), out);
      out.writeInt(stall.partition());
      writeString(stall.cause().name(), out);
      out.writeLong(stall.offset());
      out.writeLong(stall.heldBack());
      out.writeLong(stall.sinceMillis());
    }
    out.writeInt(batch.lag().size());
    for (PartitionLag lag : batch.lag()) {
      writeString(lag.topic(), out);
      out.writeInt(lag.partition());
      out.writeLong(lag.next());
      out.writeLong(lag.stable());
      out.writeLong(lag.end());
    }
  }

  /** The batch as {@link #writeBatch} writes it, or null; {@code lost}: the records lost in all. */
  private KafkaInput.Batch readBatch(DataInputStream in, long lost) throws IOException {
    byte hasBatch = in.readByte();
    if (hasBatch != 0 && hasBatch != 1) {
      throw unreadable("is corrupt: its batch flag is " + hasBatch);
    }
    if (hasBatch == 0) {
      return null;
    }
    long timeMillis = in.readLong();
    List<LostRecords> lostInBatch = new ArrayList<>();
    for (int i = StateCodec.count(in); i > 0; i--) {
      lostInBatch.add(new LostRecords(readString(in), in.readInt(), in.readLong(), in.readLong()));
    }
    List<KafkaStall> stalls = new ArrayList<>();
    for (int i = StateCodec.count(in); i > 0; i--) {
      String topic = readString(in);
      int partition = in.readInt();
      String cause = readString(in);
      KafkaStall.Cause known =
          EnumSet.allOf(KafkaStall.Cause.class).stream()
              .filter(c -> c.name().equals(cause))
              .findFirst()
              .orElseThrow(() -> unreadable("is corrupt: a stall's cause is '" + cause + "'"));
      stalls.add(
          new KafkaStall(topic, partition, known, in.readLong(), in.readLong(), in.readLong()));
    }
    List<PartitionLag> lag = new ArrayList<>();
    for (int i = StateCodec.count(in); i > 0; i--) {
      lag.add(
          new PartitionLag(
              readString(in), in.readInt(), in.readLong(), in.readLong(), in.readLong()));
    }
    return new KafkaInput.Batch(timeMillis, lost, lostInBatch, stalls, lag);
  }

  /**
   * The saved state in {@code bytes}, of any format this build knows: {@value #FORMAT}, format 1
   * (without the batch), and release 0.1.0's (format 0), the {@link Saved} record alone in Java
   * serialization, without a header, an identity or the batch. Each later format gets a number of
   * its own, and its reader here beside the others.
   */
  Saved<S> decode(byte[] bytes) {
    if (bytes.length >= 2 && ((bytes[0] & 0xff) << 8 | (bytes[1] & 0xff)) == JAVA_SERIALIZATION) {
      return deserialize(bytes); // release 0.1.0's
    }
    if (bytes.length >= 4 && ByteBuffer.wrap(bytes, 0, 4).getInt() != MAGIC) {
      throw unreadable("is not a job state of this project (it does not start with SLST)");
    }
    if (bytes.length < 16) {
      throw unreadable(
          bytes.length == 0
              ? "is empty (cut short when it was written, or emptied since)"
              : "is cut short: " + bytes.length + " bytes, less than a header");
    }
    int format;
    int length;
    int checksum;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      in.readInt(); // the magic, checked above
      format = in.readInt();
      length = in.readInt();
      checksum = in.readInt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (format > FORMAT) {
      throw new IllegalStateException(
          "the job's state in "
              + where
              + " is in format "
              + format
              + ", newer than this build reads ("
              + FORMAT
              + "): run the build that wrote it, or a newer one");
    }
    if (format < 1) {
      throw unreadable("is in format " + format + ", which no build of this project wrote");
    }
    if (bytes.length - 16 != length) {
      throw unreadable(
          "is cut short or has bytes added: "
              + (bytes.length - 16)
              + " bytes of state where it says "
              + length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 16, length);
    if ((int) crc.getValue() != checksum) {
      throw unreadable("is corrupt: its checksum does not match its bytes");
    }
    byte[] body = new byte[length];
    System.arraycopy(bytes, 16, body, 0, length);
    return read(body, format);
  }

  /** The body of {@code format} (1 or 2), as {@link #encode} writes it. */
  @SuppressWarnings("unchecked") // what this store wrote: a job's checkpoint is marked as its own
  private Saved<S> read(byte[] body, int format) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      CheckpointIdentity identity = null;
      byte hasIdentity = in.readByte();
      if (hasIdentity != 0 && hasIdentity != 1) {
        throw unreadable("is corrupt: its identity flag is " + hasIdentity);
      }
      if (hasIdentity == 1) {
        String job = readString(in);
        String topic = readString(in);
        String clusterId = readString(in);
        String topicId = readString(in);
        identity =
            clusterId.isEmpty()
                ? CheckpointIdentity.unrecorded(job, topic)
                : new CheckpointIdentity(job, topic, clusterId, topicId);
      }
      int partitions = StateCodec.count(in);
      Map<TopicPartition, Long> offsets = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        TopicPartition partition = new TopicPartition(readString(in), in.readInt());
        long offset = in.readLong();
        if (identity != null && !partition.topic().equals(identity.topic())) {
          throw unreadable(
              "is corrupt: it counts topic '"
                  + identity.topic()
                  + "' and holds an offset of "
                  + partition);
        }
        if (partition.partition() < 0 || offset < 0) {
          throw unreadable("is corrupt: " + partition + " at offset " + offset);
        }
        if (offsets.put(partition, offset) != null) {
          throw unreadable("is corrupt: it holds " + partition + " twice");
        }
      }
      long lost = in.readLong();
      if (lost < 0) {
        throw unreadable("is corrupt: " + lost + " records lost");
      }
      String kind = readString(in);
      StateCodec<?> codec = codecs.named(kind);
      byte[] stateBytes = StateCodec.readBytes(in);
      KafkaInput.Batch batch = format > FORMAT_WITHOUT_BATCH ? readBatch(in, lost) : null;
      if (in.available() > 0) {
        throw unreadable(
            "has "
                + in.available()
                + " bytes past its "
                + (format > FORMAT_WITHOUT_BATCH ? "last batch" : "state"));
      }
      if (codec == null) {
        throw new IllegalStateException(
            "the job's state in "
                + where
                + " holds a state of kind '"
                + kind
                + "', which this build does not know: it was written by a newer build; run that"
                + " one");
      }
      Serializable state;
      try (DataInputStream stateIn = new DataInputStream(new ByteArrayInputStream(stateBytes))) {
        state = codec.read(stateIn);
        if (stateIn.available() > 0) {
          throw unreadable("has " + stateIn.available() + " bytes past its " + kind + " state");
        }
      }
      return new Saved<>((S) state, Map.copyOf(offsets), lost, identity, batch);
    } catch (EOFException e) {
      throw unreadable("is cut short inside its body");
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable("is corrupt (" + e.getMessage() + ")");
    }
  }

  private static void writeString(String text, DataOutputStream out) throws IOException {
    StateCodec.writeBytes(text.getBytes(StandardCharsets.UTF_8), out);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(StateCodec.readBytes(in), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked") // what this store wrote: a job's checkpoint is marked as its own
  private Saved<S> deserialize(byte[] body) {
    try (ObjectInputStream in = new Release010Stream(new ByteArrayInputStream(body))) {
      in.setObjectInputFilter(Release010Stream.filter(body.length));
      Object read = in.readObject();
      if (!(read instanceof Saved<?> saved)) {
        throw unreadable("is not a job state (it holds a " + read.getClass().getName() + ")");
      }
      return (Saved<S>) saved;
    } catch (EOFException e) {
      throw unreadable("is cut short");
    } catch (InvalidClassException e) {
      throw unreadable(
          "holds what release 0.1.0 never wrote ("
              + (e.classname != null ? e.classname + ": " : "")
              + e.getMessage()
              + ")");
    } catch (ClassNotFoundException e) {
      throw unreadable("holds a class release 0.1.0 never wrote (" + e.getMessage() + ")");
    } catch (ObjectStreamException e) {
      throw unreadable("is corrupt (" + e + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job's state in " + where, e);
    }
  }

  /**
   * Java serialization as release 0.1.0 wrote it, its classes found where they are now: the record
   * and the enum it named in package {@code dev.streamlab.jobs} moved to this one. Java matches a
   * record's fields by name, so a class found under a new name reads the old bytes.
   */
  private static final class Release010Stream extends ObjectInputStream {

    private static final Map<String, Class<?>> MOVED =
        Map.of(
            "dev.streamlab.jobs.StateStore$Saved", Saved.class,
            "dev.streamlab.jobs.KafkaInput$Stateless", KafkaInput.Stateless.class);

    Release010Stream(InputStream in) throws IOException {
      super(in);
    }

    /**
     * What may be read: the classes release 0.1.0's state was made of (this project's, Kafka's
     * {@code TopicPartition}, the JDK's boxes, strings and collections), within the bounds of a
     * file of {@code bytes} bytes, so that a file that was not written by it is refused before
     * anything it names is made.
     */
    static ObjectInputFilter filter(int bytes) {
      return ObjectInputFilter.Config.createFilter(
          "maxbytes="
              + bytes
              + ";maxarray="
              + bytes
              + ";maxdepth=32;dev.streamlab.**;org.apache.kafka.common.TopicPartition;java.lang.*;"
              + "java.util.*;!*");
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass stored)
        throws IOException, ClassNotFoundException {
      Class<?> moved = MOVED.get(stored.getName());
      return moved != null ? moved : super.resolveClass(stored);
    }
  }

  private IllegalStateException unreadable(String what) {
    return new IllegalStateException(
        "the job's state in "
            + where
            + " "
            + what
            + (savepoint
                ? ": it cannot be imported"
                : ": it cannot be resumed; restore it from a copy, or give another --checkpoint"
                    + " directory to start over"));
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
