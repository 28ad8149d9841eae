package dev.streamlab.lab.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warns, in one line, when a Kafka broker a job reads from stops answering, and says when it is
 * back.
 *
 * <p>A streaming job whose broker goes away does not fail: Spark's driver waits for the next
 * offsets and its executors for the records, so batches are only delayed, and the job catches up
 * when the broker returns. But it waits in silence (the Kafka clients' own reconnect warnings
 * repeat many times a second, and are switched off). This watch connects to each bootstrap server
 * every second and tells the user what is going on instead.
 */
final class KafkaWatch implements AutoCloseable {

  private static final Duration PERIOD = Duration.ofSeconds(1);
  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private final List<String> brokers;
  private final PrintWriter err;
  private final Thread thread;
  private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private KafkaWatch(String bootstrapServers, PrintWriter err) {
    this.brokers = Arrays.stream(bootstrapServers.split(",")).map(String::strip).toList();
    this.err = err;
    this.thread = new Thread(this::watch, "kafka-watch");
    thread.setDaemon(true);
  }

  /** Starts watching the brokers of {@code bootstrapServers} ({@code host:port,…}). */
  static KafkaWatch start(String bootstrapServers, PrintWriter err) {
    KafkaWatch watch = new KafkaWatch(bootstrapServers, err);
    watch.thread.start();
    return watch;
  }

  private void watch() {
    try {
      while (!closed) {
        for (String broker : brokers) {
          check(broker);
        }
        Thread.sleep(PERIOD.toMillis());
      }
    } catch (InterruptedException e) {
      // Closed.
    }
  }

  private void check(String broker) {
    String problem = problem(broker);
    Long since = unreachableSince.get(broker);
    if (problem != null && since == null) {
      unreachableSince.put(broker, System.nanoTime());
      report(
          "warning: Kafka broker "
              + broker
              + " is unreachable ("
              + problem
              + "); the job waits for it: batches are delayed, nothing is lost");
    } else if (problem == null && since != null) {
      unreachableSince.remove(broker);
      long seconds = Duration.ofNanos(System.nanoTime() - since).toSeconds();
      report("Kafka broker " + broker + " is back after " + seconds + " s; the job catches up");
    }
  }

  private synchronized void report(String message) {
    if (!closed) {
      err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
      err.flush();
    }
  }

  /** Why {@code broker} cannot be reached, or null when it accepts a connection. */
  private static String problem(String broker) {
    int colon = broker.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              broker.substring(0, colon), Integer.parseInt(broker.substring(colon + 1))),
          CONNECT_TIMEOUT_MS);
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
  }

  /** Whether every broker accepted a connection when last tried. */
  boolean reachable() {
    return unreachableSince.isEmpty();
  }

  @Override
  public synchronized void close() {
    closed = true;
    thread.interrupt();
  }
}
