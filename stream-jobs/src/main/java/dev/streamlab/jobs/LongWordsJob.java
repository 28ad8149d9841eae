package dev.streamlab.jobs;

import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The words longer than five characters, batch by batch (the lab's submission 1).
 *
 * <p>Run it with {@code bin/lab-cli run long-words}, or with {@code spark-submit …
 * lab-cli-<version>-job.jar run long-words --dir DIR}.
 */
public final class LongWordsJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "long-words";

  /** The length a word must exceed to count as long in the lab's submission 1. */
  public static final int LONG_WORD = 5;

  private LongWordsJob() {}

  /** The job's context, a {@link LinesReport} of every batch going to {@code sink}. */
  public static JobContext getOrCreate(JobSettings settings, ReportSink<LinesReport> sink) {
    return JobContext.getOrCreate(
        NAME, settings, lines -> LinesReport.deliverEachBatch(pipeline(lines), sink));
  }

  /** The words of every line ({@link Words}) that are longer than {@link #LONG_WORD}. */
  public static JavaDStream<String> pipeline(JavaDStream<String> lines) {
    return lines.flatMap(Words::of).filter(word -> word.length() > LONG_WORD);
  }
}
