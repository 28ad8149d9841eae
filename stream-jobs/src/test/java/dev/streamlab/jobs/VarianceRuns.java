package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.testkit.HostileLines;
import dev.streamlab.variance.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * What the tests of the variance job share: report sinks that keep every report, waiting for a
 * count, exact comparisons, the test data and sending it to a real broker.
 */
public final class VarianceRuns {

  private static final Map<String, List<VarianceReport>> REPORTS = new ConcurrentHashMap<>();

  private VarianceRuns() {}

  /** A new sink that keeps every report; {@link #reportsOf} reads them. */
  public static ReportSink<VarianceReport> newSink() {
    String name = "test-" + UUID.randomUUID();
    List<VarianceReport> reports = new CopyOnWriteArrayList<>();
    REPORTS.put(name, reports);
    return ReportSink.open(name, VarianceReport.class, reports::add);
  }

  public static List<VarianceReport> reportsOf(ReportSink<VarianceReport> sink) {
    return REPORTS.get(sink.name());
  }

  /** A variance job's settings and the sink its reports go to. */
  public record Run(WindowSettings settings, ReportSink<VarianceReport> sink) {
    public JavaStreamingContext getOrCreate() {
      return VarianceJob.getOrCreate(settings, sink).streaming();
    }
  }

  /** Waits, at most 90 s, until the last report of {@code sink} counts {@code count} numbers. */
  public static void awaitCount(ReportSink<VarianceReport> sink, long count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      List<VarianceReport> reports = reportsOf(sink);
      if (!reports.isEmpty() && last(reports).cumulative().stats().count() >= count) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    List<VarianceReport> reports = reportsOf(sink);
    throw new AssertionError(
        "the job did not count "
            + count
            + " numbers within 90 s; last report: "
            + (reports.isEmpty() ? "none" : last(reports)));
  }

  public static VarianceReport last(List<VarianceReport> reports) {
    return reports.get(reports.size() - 1);
  }

  /**
   * Asserts that {@code actual} is {@code expected}: n, Σx, Σx² to the last bit, and the counts.
   */
  public static void assertExact(Tally actual, Tally expected) {
    assertThat(actual.stats().count()).isEqualTo(expected.stats().count());
    assertThat(actual.stats().sum()).isEqualTo(expected.stats().sum());
    assertThat(actual.stats().sumOfSquares()).isEqualTo(expected.stats().sumOfSquares());
    assertThat(actual.stats().variance())
        .isCloseTo(
            expected.stats().variance(), org.assertj.core.data.Percentage.withPercentage(1e-10));
    assertThat(actual.rejected()).isEqualTo(expected.rejected());
    assertThat(actual.emptyLines()).isEqualTo(expected.emptyLines());
  }

  /** Lines of six numbers around 1e9, spread 1e-3: hard for any but an exact method. */
  public static List<String> offsetLines(Random random, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < 6; k++) {
        line.append(k == 0 ? "" : " ").append(1e9 + 1e-3 * random.nextGaussian());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** Sends raw bytes, invalid UTF-8 and nulls (records without a value) included. */
  public static void sendBytes(String bootstrapServers, String topic, List<byte[]> lines) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            2 * HostileLines.HUGE_LINE_BYTES);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] line : lines) {
        producer.send(new ProducerRecord<>(topic, line));
      }
      producer.flush();
    }
  }

  /** Sends {@code lines} to {@code partition} of {@code topic}, or to any partition when null. */
  public static void send(
      String bootstrapServers, String topic, Integer partition, List<String> lines) {
    try (KafkaProducer<String, String> producer = producer(bootstrapServers, Map.of())) {
      for (String line : lines) {
        producer.send(new ProducerRecord<>(topic, partition, null, line));
      }
      producer.flush();
    }
  }

  /** An idempotent producer of strings, with {@code more} settings. */
  public static KafkaProducer<String, String> producer(
      String bootstrapServers, Map<String, Object> more) {
    Map<String, Object> config = new java.util.HashMap<>(more);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
