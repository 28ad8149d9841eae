package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The variance job's saved state on a real directory, written both ways: with java.nio (a local
 * checkpoint) and through Hadoop's file system (as on HDFS).
 */
class VarianceStoreTest {

  private static final TopicPartition P0 = new TopicPartition("variance", 0);
  private static final TopicPartition P1 = new TopicPartition("variance", 1);

  @TempDir Path dir;

  @ParameterizedTest(name = "via Hadoop: {0}")
  @ValueSource(booleans = {false, true})
  void theLastSavedStateAndItsOffsetsComeBackAndNoTemporaryFileStays(boolean viaHadoop) {
    VarianceStore store = new VarianceStore(dir.resolve("cp").toString(), viaHadoop);
    assertThat(store.load()).isEmpty();

    VarianceStore.Saved first = start().advance(tally(1, 2, 3), ranges(0, 2, 0, 1));
    VarianceStore.Saved second = first.advance(tally(4), ranges(2, 5, 1, 1));
    store.save(first);
    store.save(second);

    VarianceStore.Saved loaded =
        new VarianceStore(dir.resolve("cp").toString(), viaHadoop).load().orElseThrow();
    assertThat(loaded).isEqualTo(second);
    assertThat(loaded.offsets()).isEqualTo(Map.of(P0, 5L, P1, 1L));
    assertThat(loaded.state().total().stats().count()).isEqualTo(4);
    assertThat(visibleFiles(dir.resolve("cp"))).containsExactly(VarianceStore.FILE);
  }

  @Test
  void eitherWayReadsWhatTheOtherWrote() {
    String cp = dir.resolve("cp").toString();
    VarianceStore.Saved saved = start().advance(tally(7, 8), ranges(0, 1, 0, 0));

    new VarianceStore(cp, true).save(saved);
    assertThat(new VarianceStore(cp, false).load()).contains(saved);

    VarianceStore.Saved next = saved.advance(tally(9), ranges(1, 2, 0, 0));
    new VarianceStore(cp, false).save(next);
    assertThat(new VarianceStore(cp, true).load()).contains(next);
  }

  @Test
  void aStateThatCannotBeReadSaysWhatToDo() throws IOException {
    Files.createDirectories(dir.resolve("cp"));
    Files.writeString(dir.resolve("cp").resolve(VarianceStore.FILE), "not a saved state");

    assertThatThrownBy(() -> new VarianceStore(dir.resolve("cp").toString()).load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read the job's state in")
        .hasMessageContaining("delete the checkpoint directory");
  }

  private static VarianceStore.Saved start() {
    return new VarianceStore.Saved(VarianceState.start(2), Map.of());
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
