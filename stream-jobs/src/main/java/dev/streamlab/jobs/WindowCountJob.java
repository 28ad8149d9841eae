package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaInput;
import java.time.Duration;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The lines and the Meetup venues of every batch, and with {@code countByWindow} those of a sliding
 * window (the lab's step 6). It keeps state, so it needs a checkpoint directory.
 *
 * <p>Run it with {@code bin/lab-cli run window-count}, or with {@code spark-submit …
 * lab-cli-<version>-job.jar run window-count --socket HOST:PORT}.
 */
public final class WindowCountJob {

  /** The job's name, in its checkpoint directory and as its Spark application's. */
  public static final String NAME = "window-count";

  private WindowCountJob() {}

  /**
   * The job's context, a {@link WindowCountReport} going to {@code sink} every slide. On Kafka the
   * window's batch counts are kept with the offsets they cover ({@link KafkaInput#fold}) instead of
   * in Spark's checkpoint: a job killed and restarted skips no record and counts none twice.
   */
  public static JobContext getOrCreate(
      WindowSettings settings, ReportSink<WindowCountReport> sink) {
    if (settings.job().checkpointDir() == null) {
      throw new IllegalArgumentException("the window-count job needs a checkpoint directory");
    }
    return JobContext.getOrCreate(
        NAME,
        settings.job(),
        Pipeline.of(
            lines -> pipeline(lines, settings.window(), settings.slide(), sink),
            input -> pipeline(input, settings, sink)));
  }

  /**
   * Sends a {@link WindowCountReport} to {@code sink} every {@code slide}: the lines and the venues
   * of the last {@code window} by {@code countByWindow}, with the counts of the batches that window
   * covers. The context needs a checkpoint directory ({@code countByWindow} subtracts the batch
   * that leaves the window); window and slide are multiples of the batch.
   */
  public static void pipeline(
      JavaDStream<String> lines,
      Duration window,
      Duration slide,
      ReportSink<WindowCountReport> sink) {
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
    sink.deliverEach(
        parts
            .transform(rdd -> rdd.union(single(rdd, WindowCountReport.EMPTY)))
            .reduce(WindowCountReport::plus)
            .transform((rdd, time) -> rdd.map(report -> report.at(time.milliseconds()))));
  }

  /** The pipeline on a Kafka topic, its state kept with the offsets ({@link KafkaInput#fold}). */
  static void pipeline(
      KafkaInput input, WindowSettings settings, ReportSink<WindowCountReport> sink) {
    long slideMillis = settings.slide().toMillis();
    input.fold(
        WindowCountState.start(settings.windowBatches()),
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
        (state, batch) -> {
          if (batch.timeMillis() % slideMillis == 0) {
            sink.deliver(state.report(batch.timeMillis()));
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
