package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.VarianceState;
import dev.streamlab.jobs.WindowCountReport;
import dev.streamlab.jobs.WindowCountState;
import dev.streamlab.jobs.WordCountState;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job's saved state (the variance job's) on a real directory, written both ways: with java.nio (a
 * local checkpoint) and through Hadoop's file system (as on HDFS).
 */
class StateStoreTest {

  private static final TopicPartition P0 = new TopicPartition("variance", 0);
  private static final TopicPartition P1 = new TopicPartition("variance", 1);
  private static final TopicPartition P2 = new TopicPartition("variance", 2);
  private static final CheckpointIdentity IDENTITY =
      new CheckpointIdentity("variance", "variance", "cluster-1", "topic-1");
  private static final long TIME = 1_700_000_000_000L;

  /** A batch with something in each of its lists. */
  private static final KafkaInput.Batch BATCH =
      new KafkaInput.Batch(
          TIME,
          7,
          List.of(new LostRecords("variance", 0, 3, 10)),
          List.of(
              new KafkaStall(
                  "variance", 2, KafkaStall.Cause.OPEN_TRANSACTION, 40, 12, TIME - 9_000),
              new KafkaStall("variance", 3, KafkaStall.Cause.NO_LEADER, 5, 0, TIME - 2_000)),
          List.of(
              new PartitionLag("variance", 0, 10, 14, 14),
              new PartitionLag("variance", 2, 40, 40, 52)));

  @TempDir Path dir;

  @ParameterizedTest(name = "via Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void theLastSavedStateAndItsOffsetsComeBackAndNoTemporaryFileStays(boolean viaHadoop) {
    StateStore<VarianceState> store =
        new StateStore<VarianceState>(dir.resolve("cp").toString(), JobStates.CODECS, viaHadoop);
    assertThat(store.load()).isEmpty();

    StateStore.Saved<VarianceState> first = after(start(), tally(1, 2, 3), ranges(0, 2, 0, 1));
    StateStore.Saved<VarianceState> second = after(first, tally(4), ranges(2, 5, 1, 1));
    store.save(first);
    store.save(second);

    StateStore.Saved<VarianceState> loaded =
        new StateStore<VarianceState>(dir.resolve("cp").toString(), JobStates.CODECS, viaHadoop)
            .load()
            .orElseThrow();
    assertThat(loaded).isEqualTo(second);
    assertThat(loaded.offsets()).isEqualTo(Map.of(P0, 5L, P1, 1L));
    assertThat(loaded.state().total().stats().count()).isEqualTo(4);
    assertThat(visibleFiles(dir.resolve("cp"))).containsExactly(StateStore.FILE);
  }

  @Test
  void eitherWayReadsWhatTheOtherWrote() {
    String cp = dir.resolve("cp").toString();
    StateStore.Saved<VarianceState> saved = after(start(), tally(7, 8), ranges(0, 1, 0, 0));

    new StateStore<VarianceState>(cp, JobStates.CODECS, true).save(saved);
    assertThat(new StateStore<VarianceState>(cp, JobStates.CODECS, false).load()).contains(saved);

    StateStore.Saved<VarianceState> next = after(saved, tally(9), ranges(1, 2, 0, 0));
    new StateStore<VarianceState>(cp, JobStates.CODECS, false).save(next);
    assertThat(new StateStore<VarianceState>(cp, JobStates.CODECS, true).load()).contains(next);
  }

  @Test
  void lostRecordsAddUpAndAreSavedWithTheOffsetsPastThem() {
    StateStore<VarianceState> store =
        new StateStore<>(dir.resolve("cp").toString(), JobStates.CODECS);
    StateStore.Saved<VarianceState> first =
        start()
            .advance(
                VarianceState.start(2).advance(tally(1)),
                plan(ranges(120, 121, 0, 0), new LostRecords("variance", 0, 0, 120)),
                TIME);
    StateStore.Saved<VarianceState> second =
        first.advance(
            first.state(),
            plan(ranges(121, 121, 7, 8), new LostRecords("variance", 1, 0, 7)),
            TIME);
    store.save(second);

    StateStore.Saved<VarianceState> loaded = store.load().orElseThrow();
    assertThat(loaded.lostRecords()).isEqualTo(127);
    assertThat(loaded.offsets()).isEqualTo(Map.of(P0, 121L, P1, 8L));
    assertThat(loaded.identity()).isEqualTo(IDENTITY);
  }

  @Test
  void aBatchThatDoesNotStartWhereTheSavedStateEndsIsRefused() {
    StateStore.Saved<VarianceState> saved = after(start(), tally(1), ranges(0, 10, 0, 5));

    // A batch behind one that failed: its ranges start past the saved offsets.
    assertThatThrownBy(() -> after(saved, tally(2), ranges(20, 30, 5, 6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a batch reads variance-0 from offset 20, but the saved state ends at offset 10: a"
                + " batch before it was not saved (it failed) or batches ran out of order, so the"
                + " records between would be skipped; the job stops, and its saved state is as it"
                + " was");
    // A batch that overlaps what was saved would count records twice.
    assertThatThrownBy(() -> after(saved, tally(2), ranges(5, 30, 5, 6)))
        .hasMessageStartingWith("a batch reads variance-0 from offset 5, but the saved state ends");
    // A partition the state does not know starts at 0, or past records lost from there.
    assertThatThrownBy(
            () -> saved.advance(saved.state(), plan(new OffsetRange[] {range(P2, 3, 4)}), TIME))
        .hasMessageStartingWith("a batch reads variance-2 from offset 3");
    assertThat(
            saved
                .advance(
                    saved.state(),
                    plan(new OffsetRange[] {range(P2, 3, 4)}, new LostRecords("variance", 2, 0, 3)),
                    TIME)
                .offsets())
        .containsEntry(P2, 4L);
    assertThat(after(saved, tally(2), ranges(10, 30, 5, 6)).offsets())
        .isEqualTo(Map.of(P0, 30L, P1, 6L));
  }

  @Test
  void aLogReadOnFromElsewhereIsAcceptedOnlyFromWhereTheStateEnds() {
    StateStore.Saved<VarianceState> saved = after(start(), tally(1), ranges(0, 10, 0, 5));
    List<OffsetRange> fromTheEnd = List.of(range(P0, 7, 9));

    StateStore.Saved<VarianceState> truncated =
        saved.advance(
            saved.state(),
            new BatchPlanner.Plan(
                fromTheEnd,
                List.of(),
                List.of(new BatchPlanner.Rewind(P0, 10, 7)),
                null,
                List.of(),
                List.of()),
            TIME);
    assertThat(truncated.offsets()).isEqualTo(Map.of(P0, 9L, P1, 5L));

    assertThatThrownBy(
            () ->
                saved.advance(
                    saved.state(),
                    new BatchPlanner.Plan(
                        fromTheEnd,
                        List.of(),
                        List.of(new BatchPlanner.Rewind(P0, 12, 7)),
                        null,
                        List.of(),
                        List.of()),
                    TIME))
        .hasMessageStartingWith("a batch reads variance-0 from offset 12");

    // A topic created again: every partition from 0, the old ones dropped, the new id kept.
    StateStore.Saved<VarianceState> anew =
        saved.advance(
            saved.state(),
            new BatchPlanner.Plan(
                List.of(range(P0, 0, 4)),
                List.of(),
                List.of(new BatchPlanner.Rewind(P0, 10, 0), new BatchPlanner.Rewind(P1, 5, 0)),
                "new-id",
                List.of(),
                List.of()),
            TIME);
    assertThat(anew.offsets()).isEqualTo(Map.of(P0, 4L));
    assertThat(anew.identity().topicId()).isEqualTo("new-id");
  }

  @Test
  void theStateOfRelease010IsReadAndHasNoIdentityYet() throws IOException {
    Path cp = dir.resolve("cp");
    Files.createDirectories(cp);
    Files.write(cp.resolve(StateStore.FILE), release010State());

    StateStore.Saved<VarianceState> saved =
        new StateStore<VarianceState>(cp.toString(), JobStates.CODECS).load().orElseThrow();

    assertThat(saved.identity()).isNull();
    assertThat(saved.offsets()).isEqualTo(Map.of(new TopicPartition("legacy", 0), 10L));
    assertThat(saved.state().total().stats().count()).isEqualTo(30);
  }

  @Test
  void theStateOfRelease010IsRewrittenInTheCurrentFormatAtTheFirstSaveAndReadsBackTheSame()
      throws IOException {
    Path cp = dir.resolve("cp");
    Files.createDirectories(cp);
    Files.write(cp.resolve(StateStore.FILE), release010State());
    StateStore<VarianceState> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    assertThat(StateStore.formatOf(release010State())).isZero();

    StateStore.Saved<VarianceState> old =
        store
            .load()
            .orElseThrow()
            .identifiedAs(new CheckpointIdentity("variance", "legacy", "cluster-1", "topic-1"));
    store.save(old);

    byte[] rewritten = Files.readAllBytes(cp.resolve(StateStore.FILE));
    assertThat(StateStore.formatOf(rewritten)).isEqualTo(StateStore.FORMAT);
    assertThat(store.load()).contains(old);
    assertThat(store.load().orElseThrow().state().total().stats())
        .isEqualTo(Tally.of(legacyLines().iterator()).stats());
  }

  @Test
  void theBatchThatLeftTheStateIsSavedWithItWhatItsReportSaidBesideTheState() {
    StateStore<VarianceState> store =
        new StateStore<>(dir.resolve("cp").toString(), JobStates.CODECS);
    StateStore.Saved<VarianceState> first = after(start(), tally(1, 2), ranges(0, 3, 0, 0));
    BatchPlanner.Plan plan =
        new BatchPlanner.Plan(
            List.of(range(P0, 10, 10)),
            BATCH.lostInBatch(),
            List.of(),
            null,
            BATCH.stalls(),
            BATCH.lag());
    StateStore.Saved<VarianceState> second =
        first.advance(first.state().advance(tally(3)), plan, TIME + 2_000);
    store.save(second);

    assertThat(first.lastBatch().timeMillis()).isEqualTo(TIME);
    assertThat(start().lastBatch()).as("no batch before the first").isNull();
    KafkaInput.Batch batch = store.load().orElseThrow().lastBatch();
    assertThat(batch.timeMillis()).isEqualTo(TIME + 2_000);
    assertThat(batch.lostRecords()).isEqualTo(7).isEqualTo(second.lostRecords());
    assertThat(batch.lostInBatch()).isEqualTo(BATCH.lostInBatch());
    assertThat(batch.stalls()).isEqualTo(BATCH.stalls());
    assertThat(batch.lag()).isEqualTo(BATCH.lag());
  }

  @Test
  void aStateOfFormat1IsReadWithoutABatchAndRewrittenInTheCurrentFormatAtTheFirstSave()
      throws IOException {
    Path cp = Files.createDirectories(dir.resolve("cp"));
    byte[] format1 = body(1, "variance", 0, 3, 0, 0);
    assertThat(StateStore.formatOf(format1)).isEqualTo(StateStore.FORMAT_WITHOUT_BATCH);
    Files.write(cp.resolve(StateStore.FILE), format1);
    StateStore<VarianceState> store = new StateStore<>(cp.toString(), JobStates.CODECS);

    StateStore.Saved<VarianceState> old = store.load().orElseThrow();
    assertThat(old.lastBatch()).isNull();
    assertThat(old.offsets()).isEqualTo(Map.of(P0, 3L));
    assertThat(old.identity()).isEqualTo(IDENTITY);
    assertThat(old.state().total()).isEqualTo(tally(1));

    StateStore.Saved<VarianceState> next = after(old, tally(2), ranges(3, 5, 0, 0));
    store.save(next);
    assertThat(StateStore.formatOf(Files.readAllBytes(cp.resolve(StateStore.FILE))))
        .isEqualTo(StateStore.FORMAT);
    assertThat(store.load()).contains(next);
    assertThat(next.lastBatch().timeMillis()).isEqualTo(TIME);
  }

  /** The lines the state of release 0.1.0 has counted. */
  static List<String> legacyLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      lines.add(i + " " + i / 2.0 + " 1e9");
    }
    return lines;
  }

  @Test
  void aStateCutShortOrChangedIsNamedAsSuchAndNoMessageAdvisesDeletingIt() throws IOException {
    Path cp = dir.resolve("cp");
    StateStore<VarianceState> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    store.save(after(start(), tally(1, 2, 3), ranges(0, 2, 0, 1)));
    Path file = cp.resolve(StateStore.FILE);
    byte[] good = Files.readAllBytes(file);
    byte[] flipped = good.clone();
    flipped[good.length - 20] ^= 0x10;
    byte[] newer = good.clone();
    newer[7] = 9; // the format version

    Map<byte[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(Arrays.copyOf(good, good.length - 9), "is cut short or has bytes added");
    cases.put(flipped, "is corrupt: its checksum does not match its bytes");
    cases.put(new byte[0], "is empty");
    cases.put("not a saved state".getBytes(StandardCharsets.UTF_8), "is not a job state of this");
    cases.put(newer, "is in format 9, newer than this build reads (2)");
    cases.put(Arrays.copyOf(release010State(), 300), "is cut short");
    for (Map.Entry<byte[], String> bad : cases.entrySet()) {
      Files.write(file, bad.getKey());
      assertThatThrownBy(store::load)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(bad.getValue())
          .hasMessageNotContaining("delete");
    }
  }

  @Test
  void everyKindOfStateComesBackEqualAndNothingIsSavedInJavaSerialization() throws IOException {
    Path cp = dir.resolve("cp");
    StateStore<java.io.Serializable> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    Tally ragged = new Tally(Stats.of(1e9 + 0.1, 1e9 + 0.2, -3.5e-7), 4, 2);
    List<java.io.Serializable> states =
        List.of(
            KafkaInput.Stateless.INSTANCE,
            ragged,
            new VarianceState(ragged, List.of(tally(1), Tally.EMPTY, ragged), 3),
            VarianceState.start(1),
            new WordCountState(Map.of("ünïcode", 3L, "a", 1L, "", 2L, "x".repeat(70_000), 5L)),
            WordCountState.EMPTY,
            new WindowCountState(
                List.of(
                    new WindowCountReport.BatchCount(1_700_000_000_000L, 12, 3),
                    new WindowCountReport.BatchCount(1_700_000_010_000L, 0, 0)),
                3),
            WindowCountState.start(6));
    for (java.io.Serializable state : states) {
      for (CheckpointIdentity identity : java.util.Arrays.asList(IDENTITY, null)) {
        for (KafkaInput.Batch batch : java.util.Arrays.asList(BATCH, null)) {
          StateStore.Saved<java.io.Serializable> saved =
              new StateStore.Saved<>(state, Map.of(P0, 5L, P2, 0L), 7, identity, batch);
          store.save(saved);

          assertThat(store.load()).as("%s", state.getClass()).contains(saved);
          byte[] bytes = Files.readAllBytes(cp.resolve(StateStore.FILE));
          assertThat(indexOf(bytes, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}))
              .as("no Java serialization stream in the file")
              .isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void aStateOfAKindThisBuildDoesNotKnowOrWithBytesPastItIsRefusedAsSuch() throws IOException {
    Path cp = Files.createDirectories(dir.resolve("cp"));
    StateStore<java.io.Serializable> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    byte[] good =
        StateStore.encode(
            new StateStore.Saved<>(tally(1), Map.of(P0, 1L), 0, IDENTITY, null), JobStates.CODECS);
    String body = new String(good, StandardCharsets.ISO_8859_1);

    Files.write(cp.resolve(StateStore.FILE), withBody(body.replace("tally", "talle")));
    assertThatThrownBy(store::load)
        .hasMessageContaining(
            "holds a state of kind 'talle', which this build does not know: it was written by a"
                + " newer build; run that one");

    Files.write(cp.resolve(StateStore.FILE), withBody(body.substring(16) + "\0"));
    assertThatThrownBy(store::load).hasMessageContaining("has 1 bytes past its last batch");

    Files.write(
        cp.resolve(StateStore.FILE),
        withBody(body.substring(16, body.length() - 1) + "\2", StateStore.FORMAT));
    assertThatThrownBy(store::load).hasMessageContaining("is corrupt: its batch flag is 2");

    String stalled =
        new String(
            StateStore.encode(
                new StateStore.Saved<>(tally(1), Map.of(P0, 1L), 0, IDENTITY, BATCH),
                JobStates.CODECS),
            StandardCharsets.ISO_8859_1);
    Files.write(cp.resolve(StateStore.FILE), withBody(stalled.replace("NO_LEADER", "NO_LEADEX")));
    assertThatThrownBy(store::load)
        .hasMessageContaining("is corrupt: a stall's cause is 'NO_LEADEX'");
  }

  @Test
  void aBodyThatLiesIsRefusedAsCorruptThoughItsChecksumIsRightAndNothingHugeIsMade()
      throws IOException {
    Path cp = Files.createDirectories(dir.resolve("cp"));
    StateStore<java.io.Serializable> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    Map<String, byte[]> lies = new java.util.LinkedHashMap<>();
    lies.put("its identity flag is 2", body(2, "variance", 0, 3, 0, 0));
    lies.put("it counts topic 'variance' and holds an offset of zz-0", body(1, "zz", 0, 3, 0, 0));
    lies.put("variance-0 at offset -7", body(1, "variance", 0, -7, 0, 0));
    lies.put("variance--1 at offset 3", body(1, "variance", -1, 3, 0, 0));
    lies.put("it holds variance-0 twice", body(1, "variance", 0, 3, 1, 0));
    lies.put("-100 records lost", body(1, "variance", 0, 3, 0, -100));
    lies.put("a count of 2147483647 where", body(1, "variance", 0, 3, 0, 0, Integer.MAX_VALUE));

    for (Map.Entry<String, byte[]> lie : lies.entrySet()) {
      Files.write(cp.resolve(StateStore.FILE), lie.getValue());
      assertThatThrownBy(store::load)
          .as(lie.getKey())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the job's state in ")
          .hasMessageContaining("is corrupt")
          .hasMessageContaining(lie.getKey())
          .hasMessageNotContaining("delete");
    }
  }

  @Test
  void javaSerializationThatReleaseZeroOneZeroNeverWroteIsRefusedBeforeAnythingIsMade()
      throws IOException {
    Path cp = Files.createDirectories(dir.resolve("cp"));
    StateStore<java.io.Serializable> store = new StateStore<>(cp.toString(), JobStates.CODECS);

    Files.write(cp.resolve(StateStore.FILE), serialized(new ArrayList<>(List.of("x"))));
    assertThatThrownBy(store::load)
        .hasMessageContaining("is not a job state (it holds a java.util.ArrayList)");

    Files.write(cp.resolve(StateStore.FILE), serialized(java.net.URI.create("http://x/")));
    assertThatThrownBy(store::load).hasMessageContaining("holds what release 0.1.0 never wrote");

    // An array that says it holds 2^31 - 16 longs, in a file of 35 bytes: refused, not allocated.
    byte[] array = serialized(new long[] {7});
    int length = array.length - 12; // the int before the one long
    java.nio.ByteBuffer.wrap(array, length, 4).putInt(0x7ffffff0);
    Files.write(cp.resolve(StateStore.FILE), array);
    assertThatThrownBy(store::load).hasMessageContaining("holds what release 0.1.0 never wrote");
  }

  private static byte[] serialized(Object object) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  /**
   * A state file of format 1 (a build before the batch was kept), checksum right, holding what the
   * arguments say: the identity flag (with the variance job's identity when 1), one offset (or the
   * same twice when {@code twice} is 1), the records lost, and a variance state whose count of
   * recent batches is {@code recent}.
   */
  private static byte[] body(
      int flag, String topic, int partition, long offset, int twice, long lost, int... recent)
      throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(flag);
      for (String field : List.of("variance", "variance", "cluster-1", "topic-1")) {
        writeString(field, out);
      }
      out.writeInt(1 + twice);
      for (int i = 0; i <= twice; i++) {
        writeString(topic, out);
        out.writeInt(partition);
        out.writeLong(offset);
      }
      out.writeLong(lost);
      writeString("variance", out);
      java.io.ByteArrayOutputStream state = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream stateOut = new java.io.DataOutputStream(state)) {
        stateOut.writeInt(3); // window batches
        StateCodec.TALLY.writeTo(tally(1), stateOut);
        stateOut.writeInt(recent.length > 0 ? recent[0] : 0);
      }
      out.writeInt(state.size());
      out.write(state.toByteArray());
    }
    return withBody(
        new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1),
        StateStore.FORMAT_WITHOUT_BATCH);
  }

  private static void writeString(String text, java.io.DataOutputStream out) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /**
   * A state file of the current format around {@code body} (as ISO-8859-1 text), checksum right.
   */
  private static byte[] withBody(String text) throws IOException {
    return withBody(text, StateStore.FORMAT);
  }

  /** A state file of {@code format} around {@code body} (as ISO-8859-1 text), checksum right. */
  private static byte[] withBody(String text, int format) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
    if (text.startsWith("SLST")) {
      body = Arrays.copyOfRange(body, 16, body.length);
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(body);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(0x534C5354);
      out.writeInt(format);
      out.writeInt(body.length);
      out.writeInt((int) crc.getValue());
      out.write(body);
    }
    return bytes.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void savesOfTwoWritersNeverShareATemporaryFile() throws Exception {
    String cp = dir.resolve("cp").toString();
    StateStore.Saved<VarianceState> saved = after(start(), tally(1), ranges(0, 1, 0, 1));
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int writer = 0; writer < 2; writer++) {
        writers.add(
            two.submit(
                () -> {
                  StateStore<VarianceState> store = new StateStore<>(cp, JobStates.CODECS);
                  for (int i = 0; i < 200; i++) {
                    store.save(saved);
                  }
                }));
      }
      for (Future<?> writer : writers) {
        writer.get(); // with one temporary name for all, a rename failed: NoSuchFileException
      }
    } finally {
      two.shutdownNow();
    }
    assertThat(new StateStore<VarianceState>(cp, JobStates.CODECS).load()).contains(saved);
    assertThat(visibleFiles(dir.resolve("cp"))).containsExactly(StateStore.FILE);
  }

  @Test
  void temporaryFilesLeftByACrashAreRemovedAtTheStart() throws IOException {
    Path cp = dir.resolve("cp");
    StateStore<VarianceState> store = new StateStore<>(cp.toString(), JobStates.CODECS);
    store.save(after(start(), tally(1), ranges(0, 1, 0, 1)));
    Files.writeString(cp.resolve(".job-state.0b5e.tmp"), "half a save");

    store.removeLeftovers();

    assertThat(visibleFiles(cp)).containsExactly(StateStore.FILE);
  }

  /**
   * The state file release 0.1.0 (commit c77016a) wrote for the variance job on topic {@code
   * legacy}, one partition, after the 10 lines {@code "i i/2 1e9"} for i from 1 to 10: 30 numbers,
   * offset 10.
   */
  static byte[] release010State() throws IOException {
    try (InputStream in =
        StateStoreTest.class.getResourceAsStream("release-0.1.0/" + StateStore.FILE)) {
      return in.readAllBytes();
    }
  }

  private static StateStore.Saved<VarianceState> start() {
    return StateStore.Saved.start(VarianceState.start(2), Map.of(), IDENTITY);
  }

  private static StateStore.Saved<VarianceState> after(
      StateStore.Saved<VarianceState> saved, Tally batch, OffsetRange[] ranges) {
    return saved.advance(saved.state().advance(batch), plan(ranges), TIME);
  }

  private static BatchPlanner.Plan plan(OffsetRange[] ranges, LostRecords... lost) {
    return new BatchPlanner.Plan(
        List.of(ranges), List.of(lost), List.of(), null, List.of(), List.of());
  }

  private static OffsetRange range(TopicPartition partition, long from, long until) {
    return OffsetRange.create(partition, from, until);
  }

  private static Tally tally(double... numbers) {
    return new Tally(Stats.of(numbers), 0);
  }

  private static OffsetRange[] ranges(long from0, long until0, long from1, long until1) {
    return new OffsetRange[] {
      OffsetRange.create(P0, from0, until0), OffsetRange.create(P1, from1, until1)
    };
  }

  /** The files of {@code cp}, without Hadoop's checksum files ({@code .NAME.crc}). */
  private static Set<String> visibleFiles(Path cp) {
    try (Stream<Path> files = Files.list(cp)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> !name.endsWith(".crc"))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
