package dev.streamlab.jobs;

import java.time.Duration;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The lab's Meetup RSVP jobs: the venues of the RSVPs, printed, counted and saved (submission 2),
 * and the sliding-window count of lines and venues (step 6).
 *
 * <p>Lines that are not JSON objects are skipped and counted, never fatal (see {@link
 * VenueExtractor}). Reports go to a {@link ReportSinks sink} by name, so both jobs can be
 * checkpointed.
 *
 * <p>Run them with {@code bin/lab-cli run venues} and {@code bin/lab-cli run window-count}, or with
 * {@code spark-submit … lab-cli-<version>-job.jar run venues --socket HOST:PORT}.
 */
public final class VenueJobs {

  private VenueJobs() {}

  /**
   * Sends a {@link VenueReport} of every batch to the sink {@code sinkName} and, unless {@code
   * savePrefix} is null, saves each batch's venues as text files, one venue JSON object per line,
   * in the directory {@code savePrefix-<batch time in ms>} ({@code saveAsTextFiles}).
   */
  public static void venues(JavaDStream<String> lines, String sinkName, String savePrefix) {
    JavaDStream<RsvpLine> parsed = lines.map(VenueExtractor::parse).cache();
    parsed.foreachRDD(
        (rdd, time) -> {
          VenueCounts counts =
              rdd.aggregate(
                  VenueCounts.ZERO,
                  (sum, line) -> sum.plus(VenueCounts.of(line)),
                  VenueCounts::plus);
          List<String> venues = rdd.filter(RsvpLine::hasVenue).map(RsvpLine::venue).collect();
          ReportSinks.deliver(sinkName, new VenueReport(time.milliseconds(), counts, venues));
        });
    if (savePrefix != null) {
      parsed
          .filter(RsvpLine::hasVenue)
          .map(RsvpLine::venue)
          .dstream()
          .saveAsTextFiles(savePrefix, "");
    }
  }

  /**
   * Sends a {@link WindowCountReport} to the sink {@code sinkName} every {@code slide}: the lines
   * and the venues of the last {@code window} by {@code countByWindow}, with the counts of the
   * batches that window covers. The context needs a checkpoint directory ({@code countByWindow}
   * subtracts the batch that leaves the window); window and slide are multiples of the batch.
   */
  public static void windowCounts(
      JavaDStream<String> lines, Duration window, Duration slide, String sinkName) {
    org.apache.spark.streaming.Duration sparkWindow = spark(window);
    org.apache.spark.streaming.Duration sparkSlide = spark(slide);
    JavaDStream<RsvpLine> parsed = lines.map(VenueExtractor::parse).cache();

    // One count per batch, also when nothing came: a zero is added before reducing.
    JavaDStream<WindowCountReport.BatchCount> batchCounts =
        parsed
            .map(VenueCounts::of)
            .transform(rdd -> rdd.union(single(rdd, VenueCounts.ZERO)))
            .reduce(VenueCounts::plus)
            .transform(
                (rdd, time) ->
                    rdd.map(
                        counts ->
                            new WindowCountReport.BatchCount(
                                time.milliseconds(), counts.lines(), counts.venues())));

    JavaDStream<WindowCountReport> parts =
        batchCounts
            .window(sparkWindow, sparkSlide)
            .map(WindowCountReport::ofBatch)
            .union(lines.countByWindow(sparkWindow, sparkSlide).map(WindowCountReport::ofLines))
            .union(
                parsed
                    .filter(RsvpLine::hasVenue)
                    .countByWindow(sparkWindow, sparkSlide)
                    .map(WindowCountReport::ofVenues));
    ReportSinks.deliver(
        parts
            .transform(rdd -> rdd.union(single(rdd, WindowCountReport.EMPTY)))
            .reduce(WindowCountReport::plus)
            .transform((rdd, time) -> rdd.map(report -> report.at(time.milliseconds()))),
        sinkName);
  }

  /**
   * The window counts of a Kafka topic, kept with the offsets they cover ({@link KafkaInput#fold})
   * rather than in Spark's checkpoint: a job killed and restarted skips no record and counts none
   * twice. Every {@code slide}, a {@link WindowCountReport} of the last {@code window} goes to the
   * sink {@code sinkName}; window and slide are multiples of {@code batch}.
   */
  public static void windowCounts(
      KafkaInput input, Duration batch, Duration window, Duration slide, String sinkName) {
    CumulativeVariance.requireMultiple("window", window, batch);
    CumulativeVariance.requireMultiple("slide", slide, batch);
    long slideMillis = slide.toMillis();
    input.fold(
        WindowCountState.start(CumulativeVariance.windowBatches(window, batch)),
        (state, lines, time) -> {
          VenueCounts counts =
              lines
                  .map(VenueExtractor::parse)
                  .aggregate(
                      VenueCounts.ZERO,
                      (sum, line) -> sum.plus(VenueCounts.of(line)),
                      VenueCounts::plus);
          return state.advance(
              new WindowCountReport.BatchCount(time, counts.lines(), counts.venues()));
        },
        (state, time) -> {
          if (time % slideMillis == 0) {
            ReportSinks.deliver(sinkName, state.report(time));
          }
        });
  }

  private static <T> JavaRDD<T> single(JavaRDD<?> like, T value) {
    return JavaSparkContext.fromSparkContext(like.context()).parallelize(List.of(value), 1);
  }

  private static org.apache.spark.streaming.Duration spark(Duration duration) {
    return new org.apache.spark.streaming.Duration(duration.toMillis());
  }
}
