package dev.streamlab.producer.feed;

import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.producer.kafka.KafkaFailures;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.StatsAccumulator;
import dev.streamlab.variance.Tally;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends lines to a Kafka topic, one record per line, with an idempotent producer ({@code
 * acks=all}), and keeps the exact {@link Tally} of the lines the broker acknowledged.
 *
 * <p>A record's value is the line's bytes: a text line encoded as UTF-8, a line of bytes as it is.
 * The tally reads a line as the jobs do, decoded as UTF-8 (an invalid byte becomes U+FFFD, and the
 * token holding it is rejected).
 *
 * <p>Not thread-safe, except {@link #acknowledged()}, which may be read at any time.
 */
public final class LineSender implements AutoCloseable {

  /** The line the lab's {@code producer_variance.py} sends every 2 s. */
  public static final String LAB_LINE = "1 2 3 4 5 6";

  private final KafkaProducer<String, byte[]> producer;
  private final String bootstrapServers;
  private final String topic;
  private final Duration timeout;
  private final ClientSettings settings;
  private volatile boolean abandoned; // no broker answered: closed aside
  // Guarded by numbers: written by the producer's I/O thread, read by acknowledged().
  private final StatsAccumulator numbers = new StatsAccumulator();
  private long rejected;
  private long acknowledgedLines;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * The producer settings a sender makes itself: where, how records are written, and how long it
   * waits for the broker (its timeout).
   */
  public static final Set<String> RESERVED =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          ProducerConfig.MAX_BLOCK_MS_CONFIG);

  /**
   * A sender to {@code topic} at {@code bootstrapServers}; {@code timeout} bounds the wait for an
   * unreachable broker.
   */
  public LineSender(String bootstrapServers, String topic, Duration timeout) {
    this(bootstrapServers, topic, timeout, ClientSettings.none());
  }

  /**
   * A sender whose producer also takes {@code settings} (security, …), none of {@link #RESERVED}.
   *
   * @throws IllegalArgumentException if {@code settings} holds one of {@link #RESERVED}
   */
  public LineSender(
      String bootstrapServers, String topic, Duration timeout, ClientSettings settings) {
    settings
        .firstOf(RESERVED)
        .ifPresent(
            key -> {
              throw new IllegalArgumentException("settings must not set " + key);
            });
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.timeout = timeout;
    this.settings = settings;
    Map<String, Object> own =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG,
            "producer-cli",
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            timeout.toMillis());
    this.producer =
        new KafkaProducer<>(settings.with(own), new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Waits until the broker answers, at most the timeout.
   *
   * @throws IllegalStateException when no broker answered in time
   */
  public void awaitBroker() {
    // A listener that this client does not speak to as it wants leaves it waiting: say so now.
    KafkaFailures.requireSpokenTo(bootstrapServers, settings);
    try {
      producer.partitionsFor(topic);
    } catch (TimeoutException e) {
      // Nothing to wait for: closing waits for the unanswered request's own timeout (30 s, when
      // what answers is not Kafka), so it happens aside, and the command ends now.
      abandoned = true;
      Thread closing = new Thread(() -> producer.close(Duration.ZERO), "producer-cli-close");
      closing.setDaemon(true);
      closing.start();
      throw new IllegalStateException(KafkaFailures.noAnswer(bootstrapServers, timeout));
    }
  }

  /**
   * Sends lines until {@code limit} lines, the end of {@code lines}, a send failure or {@code
   * stop}; line {@code i} (from 0) goes out {@code i × interval} after the first. {@code onSent}
   * hears each line and the count sent so far. Returns the number of lines sent.
   */
  public long sendAll(
      Iterator<String> lines,
      Duration interval,
      long limit,
      BooleanSupplier stop,
      ObjLongConsumer<String> onSent)
      throws InterruptedException {
    return sendEach(lines, this::send, interval, limit, stop, onSent);
  }

  /** {@link #sendAll} for lines of bytes, each sent as it is. */
  public long sendAllBytes(
      Iterator<byte[]> lines,
      Duration interval,
      long limit,
      BooleanSupplier stop,
      ObjLongConsumer<byte[]> onSent)
      throws InterruptedException {
    return sendEach(lines, this::send, interval, limit, stop, onSent);
  }

  private <L> long sendEach(
      Iterator<L> lines,
      Consumer<L> send,
      Duration interval,
      long limit,
      BooleanSupplier stop,
      ObjLongConsumer<L> onSent)
      throws InterruptedException {
    long start = System.nanoTime();
    long sent = 0;
    while (sent < limit && !stop.getAsBoolean() && failure.get() == null && lines.hasNext()) {
      L line = lines.next();
      send.accept(line);
      sent++;
      onSent.accept(line, sent);
      long deadline = start + sent * interval.toNanos();
      long wait;
      while (!stop.getAsBoolean() && (wait = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 100_000_000L));
      }
    }
    producer.flush();
    return sent;
  }

  /** Sends one line, encoded as UTF-8; its numbers count once the broker acknowledges it. */
  public void send(String line) {
    send(line.getBytes(StandardCharsets.UTF_8), line);
  }

  /** Sends one line's bytes as they are; its numbers count once the broker acknowledges it. */
  public void send(byte[] line) {
    send(line, new String(line, StandardCharsets.UTF_8));
  }

  private void send(byte[] value, String line) {
    producer.send(
        new ProducerRecord<>(topic, value),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            synchronized (numbers) {
              rejected += NumberLineParser.parse(line, numbers);
              acknowledgedLines++;
            }
          }
        });
  }

  /** Waits until every line sent so far is acknowledged, or has failed. */
  public void flush() {
    producer.flush();
  }

  /** The tally of every line acknowledged so far. */
  public Tally acknowledged() {
    synchronized (numbers) {
      return new Tally(numbers.toStats(), rejected);
    }
  }

  /** How many lines the broker has acknowledged. */
  public long acknowledgedLines() {
    synchronized (numbers) {
      return acknowledgedLines;
    }
  }

  /**
   * Waits for every line sent to be acknowledged or failed, and stops the producer.
   *
   * @throws IllegalStateException if a line could not be sent
   */
  @Override
  public void close() {
    if (abandoned) {
      return;
    }
    producer.close();
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException(
          "sending to " + bootstrapServers + " failed: " + KafkaFailures.describe(error), error);
    }
  }
}
