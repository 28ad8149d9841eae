package dev.streamlab.lab.bench;

import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.KafkaSource;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.variance.Stats;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Our job: the pipeline of {@code run variance}, until its cumulative n is everything sent. */
final class JobPhase implements Phase {

  private final Duration batch;
  private final String master;
  private int runs; // each run on a checkpoint of its own: a second one would count nothing

  JobPhase(Duration batch, String master) {
    this.batch = batch;
    this.master = master;
  }

  /** The variance job on {@code topic}: a report every batch, from the earliest offsets. */
  static WindowSettings settings(
      String bootstrap, String topic, String checkpoint, Duration batch, String master) {
    return WindowSettings.of(
        JobSettings.of(Source.kafka(KafkaSource.of(bootstrap, topic)))
            .batch(batch)
            .master(master)
            .checkpointDir(checkpoint));
  }

  @Override
  public String name() {
    return "job";
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    AtomicReference<VarianceReport> latest = new AtomicReference<>();
    try (ReportSink<VarianceReport> sink =
        ReportSink.open(Phase.SINK, VarianceReport.class, latest::set)) {
      WindowSettings settings =
          settings(
              topic.bootstrap(),
              topic.topic(),
              topic.checkpoint().resolve("run-" + ++runs).toString(),
              batch,
              master);
      HeapGauge.resetPeak();
      return Phase.measure(
          name(),
          VarianceJob.getOrCreate(settings, sink).streaming(),
          () ->
              ExactSums.of(
                  latest.get() == null ? Stats.empty() : latest.get().cumulative().stats()),
          topic);
    }
  }
}
