package dev.streamlab.lab;

import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.variance.Tally;
import java.time.Duration;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * Sends seeded lines of six numbers around 1e9 (hard for any but an exact sum) to a topic at a
 * steady rate, in the background, and knows exactly what the broker acknowledged.
 */
final class Producer {

  private final LineSender sender;
  private final Thread thread;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Tally acknowledged;

  Producer(String bootstrapServers, String topic, int linesPerSecond, Duration duration) {
    // A broker away for a while is waited for: delivery retries for up to 2 min (Kafka's default).
    sender = new LineSender(bootstrapServers, topic, Duration.ofSeconds(60));
    Random random = new Random(42);
    Iterator<String> lines =
        Stream.generate(
                () ->
                    DoubleStream.generate(() -> 1e9 + 1e-3 * random.nextGaussian())
                        .limit(6)
                        .mapToObj(Double::toString)
                        .collect(Collectors.joining(" ")))
            .iterator();
    long count = duration.toSeconds() * linesPerSecond;
    Duration interval = Duration.ofNanos(1_000_000_000L / linesPerSecond);
    thread =
        new Thread(
            () -> {
              try {
                sender.sendAll(lines, interval, count, stopped::get, (line, sent) -> {});
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "test-producer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** How many lines the broker has acknowledged so far. */
  long acknowledgedLines() {
    return sender.acknowledgedLines();
  }

  /** Stops sending now, and returns what was acknowledged. */
  Tally stop() throws InterruptedException {
    stopped.set(true);
    return finish();
  }

  /** Waits for the producer to send everything (or stops it), and returns what was acknowledged. */
  synchronized Tally finish() throws InterruptedException {
    if (acknowledged == null) {
      if (thread.isAlive()) {
        thread.join();
      }
      stopped.set(true);
      sender.close();
      acknowledged = sender.acknowledged();
    }
    return acknowledged;
  }
}
