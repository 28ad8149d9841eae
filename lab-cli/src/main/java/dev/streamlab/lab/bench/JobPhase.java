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
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Our job: the pipeline of {@code run variance}, until its cumulative n is everything sent; or, as
 * {@code job-page}, the same with the live page of {@code run --ui} attached: each report printed
 * (to nowhere) and pushed to the page with each batch, and a client reading and parsing every event
 * as a browser's page does.
 */
final class JobPhase implements Phase {

  private final Duration batch;
  private final String master;
  private final boolean page;
  private final PrintWriter err;
  // Each run on a checkpoint of its own, named for its phase: one that resumed another's state
  // would count nothing.
  private int runs;

  JobPhase(Duration batch, String master, boolean page, PrintWriter err) {
    this.batch = batch;
    this.master = master;
    this.page = page;
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
    return page ? "job-page" : "job";
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    long started = System.nanoTime();
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    LivePage live = page ? LivePage.start("127.0.0.1", 0, "variance", batch.toMillis()) : null;
    Consumer<VarianceReport> shown = live != null ? printedTo(live) : report -> {};
    try (live;
        PageReader reader = live != null ? PageReader.open(live.url()) : null;
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
      return result;
    }
  }

  /** Each report printed as run variance prints it (to nowhere), and handed to {@code page}. */
  private static VariancePrinter printedTo(LivePage page) {
    VariancePrinter printer =
        new VariancePrinter(
            new PrintWriter(Writer.nullWriter()), LabFormat.JSON, Algorithm.STABLE, false);
    printer.watch(page::report);
    return printer;
  }
}
