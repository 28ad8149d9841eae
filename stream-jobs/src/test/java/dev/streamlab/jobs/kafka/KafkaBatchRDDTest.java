package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.jobs.kafka.KafkaBatchRDD.Executor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.scheduler.ExecutorCacheTaskLocation;
import org.apache.spark.scheduler.TaskLocation;
import org.apache.spark.scheduler.TaskLocation$;
import org.junit.jupiter.api.Test;

/** Where a batch's ranges prefer to be read: the same executor for a partition, batch by batch. */
class KafkaBatchRDDTest {

  private static final List<Executor> EXECUTORS =
      List.of(
          new Executor("10.0.0.2", "1"),
          new Executor("10.0.0.3", "2"),
          new Executor("10.0.0.2", "3"));

  @Test
  void aPartitionPrefersOneExecutorWhateverOrderSparkListsThemIn() {
    Random random = new Random(11);
    for (int partition = 0; partition < 12; partition++) {
      TopicPartition tp = new TopicPartition("variance", partition);
      String first = KafkaBatchRDD.preferredLocation(tp, EXECUTORS).orElseThrow();
      for (int round = 0; round < 5; round++) {
        List<Executor> shuffled = new ArrayList<>(EXECUTORS);
        Collections.shuffle(shuffled, random);
        assertThat(KafkaBatchRDD.preferredLocation(tp, shuffled)).contains(first);
      }
    }
  }

  @Test
  void thePartitionsSpreadOverTheExecutors() {
    Set<String> chosen = new HashSet<>();
    for (int partition = 0; partition < 12; partition++) {
      chosen.add(
          KafkaBatchRDD.preferredLocation(new TopicPartition("variance", partition), EXECUTORS)
              .orElseThrow());
    }
    assertThat(chosen).hasSize(EXECUTORS.size());
  }

  @Test
  void theLocationIsOneSparksSchedulerReadsAsAnExecutorsCache() {
    String location =
        KafkaBatchRDD.preferredLocation(new TopicPartition("variance", 0), EXECUTORS).orElseThrow();

    TaskLocation parsed = TaskLocation$.MODULE$.apply(location);

    assertThat(parsed).isInstanceOf(ExecutorCacheTaskLocation.class);
    ExecutorCacheTaskLocation executor = (ExecutorCacheTaskLocation) parsed;
    assertThat(EXECUTORS).contains(new Executor(executor.host(), executor.executorId()));
  }

  @Test
  void noExecutorsNoPreference() {
    assertThat(KafkaBatchRDD.preferredLocation(new TopicPartition("variance", 0), List.of()))
        .isEmpty();
  }
}
