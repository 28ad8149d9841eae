package dev.streamlab.jobs;

import java.util.List;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * One batch of a job that turns lines into lines: its output lines, in order.
 *
 * @param timeMillis the batch time
 */
public record LinesReport(long timeMillis, List<String> lines) {

  public LinesReport {
    lines = List.copyOf(lines);
  }

  /** Sends every batch of {@code lines}, as a report, to {@code sink}. */
  public static void deliverEachBatch(JavaDStream<String> lines, ReportSink<LinesReport> sink) {
    lines.foreachRDD(
        (rdd, time) -> sink.deliver(new LinesReport(time.milliseconds(), rdd.collect())));
  }
}
