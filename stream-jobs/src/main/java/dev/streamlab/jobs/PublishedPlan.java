package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import org.apache.spark.streaming.api.java.JavaDStream;
import scala.Tuple2;

/**
 * The lab's published variance solution, re-created in Java as the baseline of {@code lab-cli bench
 * variance}: over each window, three separate reductions (Σx², Σx and n), joined by key, and the
 * textbook formula Σx²/n − (Σx/n)².
 *
 * <p>It is kept as published, faults included, because it is what is being measured against: it
 * splits on single spaces and parses with {@code Double.parseDouble} (a bad token fails the batch),
 * it computes each window's sums afresh instead of keeping a cumulative state (so its figures are
 * per window), and its formula loses all precision on offset data. Do not use it for anything but
 * the comparison.
 */
public final class PublishedPlan {

  /** One window's sums, as the published solution prints them. */
  public record WindowSums(long timeMillis, double sumXSquare, double sumX, long n)
      implements Serializable {

    /** The textbook variance Σx²/n − (Σx/n)², as published. */
    public double variance() {
      double mean = sumX / n;
      return sumXSquare / n - mean * mean;
    }
  }

  private static final Integer KEY = 1;

  private PublishedPlan() {}

  /** Builds the published plan on {@code lines}: one {@link WindowSums} per slide. */
  public static JavaDStream<WindowSums> build(
      JavaDStream<String> lines, Duration window, Duration slide) {
    JavaDStream<Double> numbers =
        lines
            .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
            .map(Double::parseDouble)
            .window(
                new org.apache.spark.streaming.Duration(window.toMillis()),
                new org.apache.spark.streaming.Duration(slide.toMillis()));
    JavaDStream<Double> sumXSquare = numbers.map(x -> x * x).reduce(Double::sum);
    JavaDStream<Double> sumX = numbers.reduce(Double::sum);
    JavaDStream<Long> n = numbers.count();
    return sumXSquare
        .mapToPair(value -> new Tuple2<>(KEY, value))
        .join(sumX.mapToPair(value -> new Tuple2<>(KEY, value)))
        .join(n.mapToPair(value -> new Tuple2<>(KEY, value)))
        .transform(
            (rdd, time) ->
                rdd.values()
                    .map(
                        sums ->
                            new WindowSums(
                                time.milliseconds(), sums._1()._1(), sums._1()._2(), sums._2())));
  }
}
