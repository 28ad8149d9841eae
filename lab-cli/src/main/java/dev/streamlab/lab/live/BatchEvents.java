package dev.streamlab.lab.live;

import dev.streamlab.lab.print.LabJson;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * Sends each batch the job completes to its live page: its time, records, processing time and
 * scheduling delay, which Spark's listener bus hands over once the batch is done. A job falling
 * behind shows as processing times above the batch interval and a growing scheduling delay.
 */
public final class BatchEvents implements StreamingListener {

  private final LivePage page;

  public BatchEvents(LivePage page) {
    this.page = page;
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted event) {
    BatchInfo info = event.batchInfo();
    page.batch(
        LabJson.object()
            .put("time", info.batchTime().milliseconds())
            .put("records", info.numRecords())
            .put("processing_ms", (Long) info.processingDelay().get())
            .put("scheduling_delay_ms", (Long) info.schedulingDelay().get()));
  }
}
