package dev.streamlab.lab.bench;

import dev.streamlab.jobs.LineStreams;
import dev.streamlab.jobs.PublishedPlan;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.SparkSettings;
import dev.streamlab.lab.print.ExactSums;
import java.time.Duration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** The lab's published plan, its window sums added up here, until they cover everything sent. */
final class PublishedPhase implements Phase {

  private final Duration batch;
  private final String master;

  PublishedPhase(Duration batch, String master) {
    this.batch = batch;
    this.master = master;
  }

  @Override
  public String name() {
    return "published";
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    long started = System.nanoTime();
    WindowTotal total = new WindowTotal();
    try (ReportSink<PublishedPlan.WindowSums> sink =
        ReportSink.open(Phase.SINK, PublishedPlan.WindowSums.class, total::add)) {
      HeapGauge.resetPeak();
      JavaStreamingContext context =
          new JavaStreamingContext(
              SparkSettings.conf("published-plan", master),
              new org.apache.spark.streaming.Duration(batch.toMillis()));
      // A window of one batch: the lab's was 2 s on 1 s batches, but a batch that ends no window
      // runs no job and reports nothing, so its time could not be measured.
      sink.deliverEach(
          PublishedPlan.build(
              LineStreams.kafka(
                  context, JobPhase.source(topic.bootstrap(), topic.client(), topic.topic())),
              batch,
              batch));
      return Phase.measure(name(), started, context, total::sums, topic);
    }
  }

  /** The published plan's window sums, added up as they come. */
  private static final class WindowTotal {
    private long n;
    private double sumX;
    private double sumXSquare;

    synchronized void add(PublishedPlan.WindowSums sums) {
      n += sums.n();
      sumX += sums.sumX();
      sumXSquare += sums.sumXSquare();
    }

    synchronized ExactSums sums() {
      return new ExactSums(n, sumX, sumXSquare);
    }
  }
}
