package dev.streamlab.jobs;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The venues of a stream of Meetup RSVPs, printed, counted and saved (the lab's submission 2).
 *
 * <p>Lines that are not JSON objects are skipped and counted, never fatal (see {@link
 * VenueExtractor}).
 *
 * <p>Run it with {@code bin/lab-cli run venues}, or with {@code spark-submit …
 * lab-cli-<version>-job.jar run venues --socket HOST:PORT}.
 */
public final class VenuesJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "venues";

  /**
   * What the job needs beyond {@link JobSettings}.
   *
   * @param savePrefix where each batch's venues are saved ({@code saveAsTextFiles}), or null
   */
  public record Settings(JobSettings job, String savePrefix) implements Serializable {

    public Settings {
      Objects.requireNonNull(job, "job");
    }

    /** The job on {@code job}, saving nothing. */
    public static Settings of(JobSettings job) {
      return new Settings(job, null);
    }

    /**
     * These settings saving each batch's venues in the directory {@code prefix-<batch time in ms>},
     * a path or a Hadoop URI.
     */
    public Settings savingTo(String prefix) {
      return new Settings(job, prefix);
    }
  }

  private VenuesJob() {}

  /** The job's context, a {@link VenueReport} of every batch going to {@code sink}. */
  public static JobContext getOrCreate(Settings settings, ReportSink<VenueReport> sink) {
    return JobContext.getOrCreate(
        NAME, settings.job(), lines -> pipeline(lines, sink, settings.savePrefix()));
  }

  /**
   * Sends a {@link VenueReport} of every batch to {@code sink} and, unless {@code savePrefix} is
   * null, saves each batch's venues as text files, one venue JSON object per line, in the directory
   * {@code savePrefix-<batch time in ms>} ({@code saveAsTextFiles}).
   */
  public static void pipeline(
      JavaDStream<String> lines, ReportSink<VenueReport> sink, String savePrefix) {
    JavaDStream<RsvpLine> parsed = lines.map(VenueExtractor::parse).cache();
    parsed.foreachRDD(
        (rdd, time) -> {
          VenueCounts counts =
              rdd.aggregate(
                  VenueCounts.ZERO,
                  (sum, line) -> sum.plus(VenueCounts.of(line)),
                  VenueCounts::plus);
          List<String> venues = rdd.filter(RsvpLine::hasVenue).map(RsvpLine::venue).collect();
          sink.deliver(new VenueReport(time.milliseconds(), counts, venues));
        });
    if (savePrefix != null) {
      parsed
          .filter(RsvpLine::hasVenue)
          .map(RsvpLine::venue)
          .dstream()
          .saveAsTextFiles(savePrefix, "");
    }
  }
}
