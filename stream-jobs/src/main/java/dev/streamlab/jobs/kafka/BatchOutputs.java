package dev.streamlab.jobs.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.streaming.scheduler.OutputOperationInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import scala.collection.JavaConverters;

/**
 * How the output operations of each batch ended, so that an output operation can run only if those
 * before it in the same batch succeeded.
 *
 * <p>Spark runs a batch's output operations one after the other, and one that fails does not stop
 * those behind it: the job stops only once its scheduler has handled the failure, by then the
 * batch's last operation has run. A job without state saves its offsets in that last operation
 * ({@link KafkaInput#saveOffsetsAfterEachBatch}); saved after a failed output, they would move past
 * records whose output was never made, and a restart would not make it again. Spark tells how each
 * operation ended only through its listener bus, a little later: {@link #requireEarlierSucceeded}
 * waits for that word.
 */
final class BatchOutputs implements StreamingListener {

  /**
   * The local properties Spark's {@code JobScheduler} sets on the thread of an output operation.
   */
  private static final String BATCH_TIME = "spark.streaming.internal.batchTime";

  private static final String OUTPUT_OP_ID = "spark.streaming.internal.outputOpId";

  private final Duration patience;
  private final Map<Long, Set<Integer>> submitted = new HashMap<>();
  private final Map<Long, Map<Integer, Optional<String>>> ended = new HashMap<>();

  /**
   * @param patience how long to wait for Spark's word on the earlier operations of a batch
   */
  BatchOutputs(Duration patience) {
    this.patience = patience;
  }

  @Override
  public synchronized void onBatchSubmitted(StreamingListenerBatchSubmitted event) {
    long time = event.batchInfo().batchTime().milliseconds();
    Set<Integer> ids =
        JavaConverters.mapAsJavaMap(event.batchInfo().outputOperationInfos()).keySet().stream()
            .map(id -> (Integer) id)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    submitted.put(time, ids);
    notifyAll();
  }

  @Override
  public synchronized void onOutputOperationCompleted(
      StreamingListenerOutputOperationCompleted event) {
    OutputOperationInfo info = event.outputOperationInfo();
    ended
        .computeIfAbsent(info.batchTime().milliseconds(), time -> new HashMap<>())
        .put(
            info.id(),
            info.failureReason().isDefined()
                ? Optional.of(info.failureReason().get().lines().findFirst().orElse(""))
                : Optional.empty());
    notifyAll();
  }

  /**
   * Returns once every output operation before the one running on this thread, in the same batch,
   * has ended well.
   *
   * @throws IllegalStateException when one of them failed, or Spark did not say within the patience
   */
  void requireEarlierSucceeded(SparkContext context) {
    String time = context.getLocalProperty(BATCH_TIME);
    String id = context.getLocalProperty(OUTPUT_OP_ID);
    if (time == null || id == null) {
      throw new IllegalStateException("not in an output operation of a streaming batch");
    }
    requireEarlierSucceeded(Long.parseLong(time), Integer.parseInt(id));
  }

  private synchronized void requireEarlierSucceeded(long time, int id) {
    long deadline = System.nanoTime() + patience.toNanos();
    try {
      while (true) {
        Set<Integer> ids = submitted.get(time);
        Map<Integer, Optional<String>> done = ended.getOrDefault(time, Map.of());
        if (ids != null) {
          for (int earlier : ids) {
            Optional<String> failure = done.getOrDefault(earlier, Optional.empty());
            if (earlier < id && failure.isPresent()) {
              throw new IllegalStateException(
                  "output operation "
                      + earlier
                      + " of the batch failed ("
                      + failure.get()
                      + "), so its offsets are not saved: a restart reads the batch again");
            }
          }
          if (ids.stream().filter(earlier -> earlier < id).allMatch(done::containsKey)) {
            return;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "Spark did not say within "
                  + patience.toSeconds()
                  + " s how the batch's outputs before its offsets were saved ended, so they are"
                  + " not saved: a restart reads the batch again");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the batch's outputs were awaited", e);
    } finally {
      submitted.keySet().removeIf(batch -> batch < time);
      ended.keySet().removeIf(batch -> batch < time);
    }
  }
}
