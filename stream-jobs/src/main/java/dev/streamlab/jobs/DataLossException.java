package dev.streamlab.jobs;

import java.util.List;

/**
 * Records a job has not read yet are gone from the topic (retention, {@code deleteRecords}): the
 * job stops rather than skip them in silence. Nothing of the batch was saved, so the job's saved
 * state and offsets are as they were; a job started on them with {@link
 * KafkaSource.OnDataLoss#CONTINUE} goes on from the earliest records still there and counts the
 * loss.
 */
public final class DataLossException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final List<LostRecords> lost;

  DataLossException(List<LostRecords> lost) {
    super(
        LostRecords.count(lost)
            + " records were deleted from the topic before the job read them (retention or"
            + " deleteRecords): "
            + LostRecords.describe(lost));
    this.lost = List.copyOf(lost);
  }

  /** What was lost, partition by partition. */
  public List<LostRecords> lost() {
    return lost;
  }
}
