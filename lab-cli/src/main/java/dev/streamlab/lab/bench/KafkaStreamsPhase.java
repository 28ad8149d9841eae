package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.StatsAccumulator;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;

/**
 * The peer: what a Kafka user would write instead of a Spark job. Kafka Streams' DSL, the idiomatic
 * way and on its default settings: each line to a tally ({@link Stats}, through its portable
 * bytes), {@code groupBy} one key (a repartition topic), {@code aggregate} (a RocksDB store with
 * its changelog). Timed from the first line it reads to the aggregate that covers everything sent
 * (its start-up, rebalance and internal topics, left out, as the limit's set-up and the job's start
 * are), and from its start to that aggregate, start-up included.
 */
final class KafkaStreamsPhase implements Phase {

  private static final String ALL = "all";

  /** A tally as Kafka Streams keeps it: its 56 portable bytes. */
  private static final Serde<Stats> STATS =
      Serdes.serdeFrom(
          (topic, stats) -> stats == null ? null : stats.toBytes(),
          (topic, bytes) -> bytes == null ? null : Stats.fromBytes(bytes));

  private int runs; // each run an application of its own: a second one would resume at the end

  @Override
  public String name() {
    return "kafka-streams";
  }

  @Override
  public PhaseResult run(BenchTopic topic) throws InterruptedException {
    long started = System.nanoTime();
    AtomicLong firstLine = new AtomicLong();
    AtomicLong lastAggregate = new AtomicLong();
    AtomicReference<Stats> counted = new AtomicReference<>(Stats.empty());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Topology topology = topology(topic.topic(), firstLine, lastAggregate, counted);
    HeapGauge.resetPeak();
    try (KafkaStreams streams = new KafkaStreams(topology, config(topic, ++runs))) {
      streams.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          });
      streams.start();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (counted.get().count() < topic.sent().n()) {
        if (failure.get() != null) {
          throw new IllegalStateException("Kafka Streams failed: " + failure.get(), failure.get());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              name()
                  + " counted "
                  + counted.get().count()
                  + " of "
                  + topic.sent().n()
                  + " in 10 min");
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
      double seconds = (lastAggregate.get() - firstLine.get()) / 1e9;
      double fromStart = (lastAggregate.get() - started) / 1e9;
      long peak = HeapGauge.peakMb();
      streams.close(Duration.ofSeconds(30));
      return new PhaseResult(
          name(), ExactSums.of(counted.get()), topic.lines(), seconds, fromStart, peak, null);
    }
  }

  private static Topology topology(
      String topic,
      AtomicLong firstLine,
      AtomicLong lastAggregate,
      AtomicReference<Stats> counted) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(
            line -> {
              if (firstLine.get() == 0) {
                firstLine.compareAndSet(0, System.nanoTime());
              }
              StatsAccumulator tally = new StatsAccumulator();
              NumberLineParser.parse(line, tally);
              return tally.toStats();
            })
        .groupBy((key, tally) -> ALL, Grouped.with(Serdes.String(), STATS))
        .aggregate(
            Stats::empty,
            (key, tally, total) -> {
              Stats sum = total.plus(tally);
              counted.set(sum);
              lastAggregate.set(System.nanoTime());
              return sum;
            },
            Materialized.with(Serdes.String(), STATS));
    return builder.build();
  }

  /**
   * Kafka Streams' defaults, but for what it needs to run here: a name, a broker and its client
   * settings, a directory.
   */
  private static Properties config(BenchTopic topic, int run) {
    Properties config = new Properties();
    config.putAll(topic.client().asMap());
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "lab-cli-bench-" + topic.topic() + "-" + run);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, topic.bootstrap());
    config.put(
        StreamsConfig.STATE_DIR_CONFIG,
        topic.checkpoint().resolve("kafka-streams-" + run).toString());
    return config;
  }
}
