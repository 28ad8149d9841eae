package dev.streamlab.lab.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.Printed;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.ToDoubleFunction;

/**
 * What {@code /metrics} says of a running job, in Prometheus' text format: the counts of its latest
 * report (numbers, rejected tokens, empty and lost records), how far behind it is per partition,
 * its batches' processing times and scheduling delay, the age of its saved state, and the JVM's own
 * metrics. The counts are the job's, cumulative since its first start (they go on from its saved
 * state after a restart); Prometheus sees them reset only when the job starts anew.
 */
public final class JobMetrics {

  /** The content type of {@link #write}. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Histogram processing;
  private final Gauge schedulingDelay;
  private volatile JsonNode latest; // the latest report's JSON object
  private volatile long savedAtMillis; // when it came, the job's state saved just before

  public JobMetrics() {
    counter("streamlab_numbers_total", "Numbers counted (n) since the job's first start.", "n");
    counter(
        "streamlab_rejected_tokens_total",
        "Tokens that were not finite numbers, since the job's first start.",
        "rejected");
    counter(
        "streamlab_empty_records_total",
        "Kafka records without a value, or with an empty one, since the job's first start.",
        "empty_records");
    counter(
        "streamlab_lost_records_total",
        "Records deleted from the topic before the job read them (--on-data-loss continue).",
        "lost_records");
    partitionGauge(
        "streamlab_partition_lag_records",
        "Records the job can read and has not yet, after its latest batch: the last stable offset"
            + " less its next offset.",
        "records_behind");
    partitionGauge(
        "streamlab_partition_held_back_records",
        "Offsets held back by open transactions: the log's end less the last stable offset.",
        "held_back");
    processing =
        Histogram.builder()
            .name("streamlab_batch_processing_seconds")
            .help("How long each batch took to process.")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    schedulingDelay =
        Gauge.builder()
            .name("streamlab_batch_scheduling_delay_seconds")
            .help(
                "How long the latest batch waited for the ones before it: growing, the job falls"
                    + " behind its batch interval.")
            .unit(Unit.SECONDS)
            .register(registry);
    GaugeWithCallback.builder()
        .name("streamlab_checkpoint_age_seconds")
        .help("Seconds since the job last saved its state (each report follows a save).")
        .unit(Unit.SECONDS)
        .callback(
            callback -> {
              if (savedAtMillis > 0) {
                callback.call((System.currentTimeMillis() - savedAtMillis) / 1000.0);
              }
            })
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** Takes the counts and the lag of a report the job printed. */
  public void report(Printed report) {
    latest = report.json();
    savedAtMillis = System.currentTimeMillis();
  }

  /** Takes one completed batch's processing time and scheduling delay, in milliseconds. */
  public void batch(long processingMillis, long schedulingDelayMillis) {
    processing.observe(processingMillis / 1000.0);
    schedulingDelay.set(schedulingDelayMillis / 1000.0);
  }

  /** Writes every metric to {@code out} in Prometheus' text format ({@link #CONTENT_TYPE}). */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  private void counter(String name, String help, String field) {
    ToDoubleFunction<JsonNode> value = report -> report.path(field).asDouble(0);
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            callback -> {
              JsonNode report = latest;
              if (report != null && report.has("n")) { // the variance job's: other jobs count else
                callback.call(value.applyAsDouble(report)); // a count not written yet is 0
              }
            })
        .register(registry);
  }

  /** A gauge per partition of the latest report's {@code lag}, from its {@code field}. */
  private void partitionGauge(String name, String help, String field) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("topic", "partition")
        .callback(
            callback -> {
              JsonNode report = latest;
              if (report == null) {
                return;
              }
              for (JsonNode partition : report.path("lag").path("partitions")) {
                String named = partition.get("partition").asText(); // "variance-0"
                int dash = named.lastIndexOf('-');
                callback.call(
                    partition.get(field).asDouble(),
                    named.substring(0, dash),
                    named.substring(dash + 1));
              }
            })
        .register(registry);
  }
}
