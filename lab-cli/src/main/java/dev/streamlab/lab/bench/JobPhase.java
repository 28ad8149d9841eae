package dev.streamlab.lab.bench;

import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.lab.live.BatchEvents;
import dev.streamlab.lab.live.LivePage;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.VariancePrinter;
import dev.streamlab.lab.run.ReportTopic;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Our job: the pipeline of {@code run variance}, until its cumulative n is everything sent; or the
 * same with something attached ({@link Attached}).
 */
final class JobPhase implements Phase {

  /** What the job has attached beside it. */
  enum Attached {
    /** Nothing: {@code job}. */
    NOTHING("job"),
    /**
     * {@code job-page}: the live page of {@code run --ui}, each report printed (to nowhere) and
     * pushed to the page with each batch, and a client reading and parsing every event as a
     * browser's page does.
     */
    PAGE("job-page"),
    /**
     * {@code job-ops}: what an operator attaches, {@code run --metrics} scraped every second and
     * {@code --output-topic}, each report written to a topic of the same broker.
     */
    OPERATIONS("job-ops");

    private final String phase;

    Attached(String phase) {
      this.phase = phase;
    }
  }

  private final Duration batch;
  private final String master;
  private final Attached attached;
  private final PrintWriter err;
  // Each run on a checkpoint of its own, named for its phase: one that resumed another's state
  // would count nothing.
  private int runs;

  JobPhase(Duration batch, String master, Attached attached, PrintWriter err) {
    this.batch = batch;
    this.master = master;
    this.attached = attached;
    this.err = err;
  }

  /** The variance job on {@code topic}: a report every batch, from the earliest offsets. */
  static WindowSettings settings(
      String bootstrap,
      ClientSettings client,
      String topic,
      String checkpoint,
      Duration batch,
      String master) {
    return WindowSettings.of(
        JobSettings.of(Source.kafka(source(bootstrap, client, topic)))
            .batch(batch)
            .master(master)
            .checkpointDir(checkpoint));
  }

  /** {@code topic} at {@code bootstrap}, read with the {@code client} settings. */
  static KafkaSource source(String bootstrap, ClientSettings client, String topic) {
    return KafkaSource.of(bootstrap, topic).withConsumerProperties(client.asMap());
  }

  @Override
  public String name() {
    return attached.phase;
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    long started = System.nanoTime();
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    LivePage live =
        switch (attached) {
          case PAGE -> LivePage.start("127.0.0.1", 0, "variance", batch.toMillis());
          case OPERATIONS -> LivePage.startMetrics("127.0.0.1", 0, "variance");
          case NOTHING -> null;
        };
    ReportTopic reports =
        attached == Attached.OPERATIONS
            ? new ReportTopic(
                topic.bootstrap(),
                topic.client().asMap(),
                topic.topic() + "-reports",
                "variance",
                err)
            : null;
    Consumer<VarianceReport> shown = live != null ? printedTo(live, reports) : report -> {};
    try (live;
        reports;
        PageReader reader = attached == Attached.PAGE ? PageReader.open(live.url()) : null;
        MetricsScraper scraper =
            attached == Attached.OPERATIONS
                ? MetricsScraper.everySecond(
                    URI.create(live.url().toString().replaceFirst("/$", "/metrics")))
                : null;
        ReportSink<VarianceReport> sink =
            ReportSink.open(
                Phase.SINK,
                VarianceReport.class,
                report -> {
                  latest.set(report);
                  shown.accept(report);
                })) {
      WindowSettings settings =
          settings(
              topic.bootstrap(),
              topic.client(),
              topic.topic(),
              topic.checkpoint().resolve(name() + "-" + ++runs).toString(),
              batch,
              master);
      JavaStreamingContext context = VarianceJob.getOrCreate(settings, sink).streaming();
      if (live != null) {
        context.addStreamingListener(new BatchEvents(live));
      }
      HeapGauge.resetPeak();
      PhaseResult result =
          Phase.measure(
              name(),
              started,
              context,
              () ->
                  ExactSums.of(
                      latest.get() == null ? Stats.empty() : latest.get().cumulative().stats()),
              topic);
      if (reader != null) {
        err.printf("%s: its page read %,d events%n", name(), reader.events());
        err.flush();
      }
      if (scraper != null) {
        err.printf("%s: its /metrics scraped %,d times%n", name(), scraper.scrapes());
        err.flush();
      }
      return result;
    }
  }

  /**
   * Each report printed as run variance prints it (to nowhere), and handed to {@code page}, and to
   * {@code reports} unless it is null.
   */
  private static VariancePrinter printedTo(LivePage page, ReportTopic reports) {
    VariancePrinter printer =
        new VariancePrinter(
            new PrintWriter(Writer.nullWriter()), LabFormat.JSON, Algorithm.STABLE, false);
    printer.watch(page::report);
    if (reports != null) {
      printer.watch(reports::write);
    }
    return printer;
  }
}
