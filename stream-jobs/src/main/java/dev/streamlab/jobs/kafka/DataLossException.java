package dev.streamlab.jobs.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Records a job has not read yet are gone from the topic: deleted (retention, {@code
 * deleteRecords}), cut from a truncated log, or gone with the topic itself (deleted, or deleted and
 * created again). The job stops rather than skip them in silence. Nothing of the batch was saved,
 * so the job's saved state and offsets are as they were; a job started on them with {@link
 * KafkaSource.OnDataLoss#CONTINUE} goes on past the loss and counts or reports it.
 */
public final class DataLossException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** What {@code --on-data-loss continue} does after records were deleted or a log cut short. */
  private static final String GO_ON =
      "run again with --on-data-loss continue to go on from the earliest records still there";

  private final List<LostRecords> lost;
  private final String remedy;

  private DataLossException(String message, List<LostRecords> lost, String remedy) {
    super(message);
    this.lost = List.copyOf(lost);
    this.remedy = remedy;
  }

  /** Records deleted before the job read them. */
  DataLossException(List<LostRecords> lost) {
    this(deleted(lost), lost, GO_ON);
  }

  /** Records deleted before the job read them, and logs that now end below the job's offsets. */
  static DataLossException of(List<LostRecords> lost, List<BatchPlanner.Rewind> truncated) {
    List<String> parts = new ArrayList<>();
    if (!lost.isEmpty()) {
      parts.add(deleted(lost));
    }
    if (!truncated.isEmpty()) {
      parts.add(
          truncated.stream()
                  .map(
                      rewind ->
                          rewind.partition()
                              + " ends at offset "
                              + rewind.restartOffset()
                              + ", below the "
                              + rewind.savedOffset()
                              + " the job has read up to")
                  .collect(Collectors.joining(", "))
              + ": the log was truncated (an unclean leader election, or the broker's data lost),"
              + " and what was written past its end never reached the job");
    }
    return new DataLossException(String.join("; ", parts), lost, GO_ON);
  }

  /** The topic was deleted and created again, as {@code what} says. */
  static DataLossException recreated(String what) {
    return new DataLossException(
        what,
        List.of(),
        "run again with --on-data-loss continue to count the new topic from its start");
  }

  /** The topic was deleted and created again: it has another id than the one the job counts. */
  static DataLossException recreated(
      String topic, String countedId, String foundId, Map<TopicPartition, Long> offsets) {
    return recreated(
        "topic "
            + topic
            + " is not the one the job counts: its id is "
            + foundId
            + ", the job's "
            + countedId
            + " (it was deleted and created again); the job had read the old topic up to "
            + describe(offsets)
            + ", and anything written to it after that was never read");
  }

  /** The topic the job counts no longer exists. */
  static DataLossException gone(
      String topic, String bootstrapServers, Map<TopicPartition, Long> offsets) {
    return new DataLossException(
        "topic "
            + topic
            + " no longer exists at "
            + bootstrapServers
            + " (deleted?); the job had read it up to "
            + describe(offsets)
            + ", and anything written to it after that was never read",
        List.of(),
        "once it is created again, run with --on-data-loss continue to count it from its start");
  }

  /** "variance-0 offset 200, variance-1 offset 17", the partitions in order. */
  static String describe(Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return "its start";
    }
    return offsets.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                .thenComparing(e -> e.getKey().partition()))
        .map(e -> e.getKey() + " offset " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** The offsets the job stood at before {@code rewinds}, as {@link #describe} writes them. */
  static String offsets(Collection<BatchPlanner.Rewind> rewinds) {
    return describe(
        rewinds.stream()
            .collect(
                Collectors.toMap(
                    BatchPlanner.Rewind::partition, BatchPlanner.Rewind::savedOffset)));
  }

  private static String deleted(List<LostRecords> lost) {
    return LostRecords.count(lost)
        + " records were deleted from the topic before the job read them (retention or"
        + " deleteRecords): "
        + LostRecords.describe(lost);
  }

  /**
   * What to do to go on, for a command to add to the message: {@code "run again with --on-data-loss
   * continue to …"}.
   */
  public String remedy() {
    return remedy;
  }

  /** What was lost, partition by partition, of the records deleted; empty for the other causes. */
  public List<LostRecords> lost() {
    return lost;
  }
}
