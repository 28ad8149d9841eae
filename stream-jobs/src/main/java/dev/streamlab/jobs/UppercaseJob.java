package dev.streamlab.jobs;

import java.util.Locale;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * Every line upper-cased, batch by batch (the lab's steps 1 and 2).
 *
 * <p>Run it with {@code bin/lab-cli run uppercase}, or with {@code spark-submit …
 * lab-cli-<version>-job.jar run uppercase --dir DIR}.
 */
public final class UppercaseJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "uppercase";

  private UppercaseJob() {}

  /** The job's context, a {@link LinesReport} of every batch going to {@code sink}. */
  public static JobContext getOrCreate(JobSettings settings, ReportSink<LinesReport> sink) {
    return JobContext.getOrCreate(
        NAME, settings, lines -> LinesReport.deliverEachBatch(pipeline(lines), sink));
  }

  /** Every line, upper-cased (locale-independent). */
  public static JavaDStream<String> pipeline(JavaDStream<String> lines) {
    return lines.map(line -> line.toUpperCase(Locale.ROOT));
  }
}
