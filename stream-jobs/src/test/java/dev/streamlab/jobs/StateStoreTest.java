package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @TempDir Path dir;

  @ParameterizedTest(name = "via Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void theLastSavedStateAndItsOffsetsComeBackAndNoTemporaryFileStays(boolean viaHadoop) {
    StateStore<VarianceState> store =
        new StateStore<VarianceState>(dir.resolve("cp").toString(), viaHadoop);
    assertThat(store.load()).isEmpty();

    StateStore.Saved<VarianceState> first = after(start(), tally(1, 2, 3), ranges(0, 2, 0, 1));
    StateStore.Saved<VarianceState> second = after(first, tally(4), ranges(2, 5, 1, 1));
    store.save(first);
    store.save(second);

    StateStore.Saved<VarianceState> loaded =
        new StateStore<VarianceState>(dir.resolve("cp").toString(), viaHadoop).load().orElseThrow();
    assertThat(loaded).isEqualTo(second);
    assertThat(loaded.offsets()).isEqualTo(Map.of(P0, 5L, P1, 1L));
    assertThat(loaded.state().total().stats().count()).isEqualTo(4);
    assertThat(visibleFiles(dir.resolve("cp"))).containsExactly(StateStore.FILE);
  }

  @Test
  void eitherWayReadsWhatTheOtherWrote() {
    String cp = dir.resolve("cp").toString();
    StateStore.Saved<VarianceState> saved = after(start(), tally(7, 8), ranges(0, 1, 0, 0));

    new StateStore<VarianceState>(cp, true).save(saved);
    assertThat(new StateStore<VarianceState>(cp, false).load()).contains(saved);

    StateStore.Saved<VarianceState> next = after(saved, tally(9), ranges(1, 2, 0, 0));
    new StateStore<VarianceState>(cp, false).save(next);
    assertThat(new StateStore<VarianceState>(cp, true).load()).contains(next);
  }

  @Test
  void lostRecordsAddUpAndAreSavedWithTheOffsetsPastThem() {
    StateStore<VarianceState> store = new StateStore<>(dir.resolve("cp").toString());
    StateStore.Saved<VarianceState> first =
        start()
            .advance(
                VarianceState.start(2).advance(tally(1)),
                ranges(120, 121, 0, 0),
                List.of(new LostRecords("variance", 0, 0, 120)));
    StateStore.Saved<VarianceState> second =
        first.advance(
            first.state(), ranges(121, 121, 7, 8), List.of(new LostRecords("variance", 1, 0, 7)));
    store.save(second);

    StateStore.Saved<VarianceState> loaded = store.load().orElseThrow();
    assertThat(loaded.lostRecords()).isEqualTo(127);
    assertThat(loaded.offsets()).isEqualTo(Map.of(P0, 121L, P1, 8L));
  }

  @Test
  void aStateThatCannotBeReadSaysWhatToDo() throws IOException {
    Files.createDirectories(dir.resolve("cp"));
    Files.writeString(dir.resolve("cp").resolve(StateStore.FILE), "not a saved state");

    assertThatThrownBy(() -> new StateStore<>(dir.resolve("cp").toString()).load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read the job's state in")
        .hasMessageContaining("delete the checkpoint directory");
  }

  private static StateStore.Saved<VarianceState> start() {
    return StateStore.Saved.start(VarianceState.start(2));
  }

  private static StateStore.Saved<VarianceState> after(
      StateStore.Saved<VarianceState> saved, Tally batch, OffsetRange[] ranges) {
    return saved.advance(saved.state().advance(batch), ranges, List.of());
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
