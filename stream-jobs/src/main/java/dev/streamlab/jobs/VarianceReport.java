package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaStall;
import dev.streamlab.jobs.kafka.LostRecords;
import dev.streamlab.jobs.kafka.PartitionLag;
import dev.streamlab.variance.Tally;
import java.io.Serializable;
import java.util.List;

/**
 * What {@link VarianceJob} says after each batch.
 *
 * @param timeMillis the batch time
 * @param cumulative the tally of every line since the start
 * @param window the tally of the lines of the last window
 * @param due whether this batch ends a slide interval (the reports that are printed)
 * @param lostRecords how many records were deleted from the topic before the job could read them,
 *     since the start; never more than zero unless the job goes on after a loss
 * @param lostInBatch the records found lost in this batch, partition by partition
 * @param stalls the partitions standing still when the batch was planned (an open transaction, no
 *     leader), for longer than a few batches
 * @param lag how far behind the job is on each partition after the batch ({@link PartitionLag});
 *     empty when unknown (Kafka did not answer, or the job does not read Kafka)
 * @param resumed whether this is the report of the last batch an earlier run saved, made again when
 *     the job resumes its state: not a batch of this run, and not printed; for outputs that must
 *     hold the report of every saved batch (the output topic), which that run may have stopped
 *     before writing
 */
public record VarianceReport(
    long timeMillis,
    Tally cumulative,
    Tally window,
    boolean due,
    long lostRecords,
    List<LostRecords> lostInBatch,
    List<KafkaStall> stalls,
    List<PartitionLag> lag,
    boolean resumed)
    implements Serializable {

  public VarianceReport {
    lostInBatch = List.copyOf(lostInBatch);
    stalls = List.copyOf(stalls);
    lag = List.copyOf(lag);
  }
}
