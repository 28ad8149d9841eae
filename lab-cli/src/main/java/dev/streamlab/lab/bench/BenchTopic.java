package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.producer.kafka.ClientSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A topic every phase of the bench reads in full, and what was sent to it.
 *
 * @param bootstrap the embedded broker
 * @param client the settings its clients need (security)
 * @param lines how many lines it holds
 * @param sent the sums of every number acknowledged, which each phase must match exactly
 * @param checkpoint the job phase's checkpoint directory
 */
record BenchTopic(
    String bootstrap,
    ClientSettings client,
    String topic,
    long lines,
    ExactSums sent,
    Path checkpoint) {

  /**
   * The lines of the bench: seeded integers below 1000, so that even plain double sums are exact.
   */
  static LineSource lines(int numbersPerLine) {
    return LineSource.integers(1, 1000, numbersPerLine);
  }

  /**
   * Creates {@code topic} with {@code partitions} partitions, and waits until every partition has
   * its leader: a producer that starts on a partition still being set up may see its first requests
   * fail and retried out of order (OutOfOrderSequenceException, seen here once).
   */
  static void create(String bootstrap, ClientSettings client, String topic, int partitions)
      throws Exception {
    try (Admin admin =
        Admin.create(client.with(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))) {
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!led(admin, topic, partitions)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + topic + " has no leader after 30 s");
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  /**
   * Whether every partition has its leader. A topic just created may be unknown a moment longer to
   * the broker that answers (its metadata lags the controller's): that is a no, not a failure.
   */
  private static boolean led(Admin admin, String topic, int partitions) throws Exception {
    TopicDescription description;
    try {
      description =
          admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
    return description.partitions().size() == partitions
        && description.partitions().stream()
            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
  }

  /** Creates {@code topic} and sends it {@code lines} lines of {@code numbersPerLine} numbers. */
  static BenchTopic preload(
      String bootstrap,
      ClientSettings client,
      String topic,
      long lines,
      int numbersPerLine,
      int partitions,
      Path checkpoint,
      PrintWriter err)
      throws Exception {
    create(bootstrap, client, topic, partitions);
    err.printf(
        "Preloading %,d lines of %d numbers into an embedded broker (%d partitions)…%n",
        lines, numbersPerLine, partitions);
    err.flush();
    long start = System.nanoTime();
    ExactSums sent;
    try (LineSender sender = new LineSender(bootstrap, topic, Duration.ofSeconds(30), client);
        LineSource generated = lines(numbersPerLine)) {
      for (long i = 0; i < lines; i++) {
        sender.send(generated.next());
      }
      sender.flush(); // every line acknowledged: closing then reports any that failed
      sent = ExactSums.of(sender.acknowledged().stats());
    }
    err.printf("Preloaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
    err.flush();
    return new BenchTopic(bootstrap, client, topic, lines, sent, checkpoint);
  }
}
