package dev.streamlab.lab.run;

import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code --output-topic}: each report the job prints, its JSON object, written to a Kafka topic
 * keyed by the job and the batch's time ({@code variance@2026-12-05T21:55:34Z}), by an idempotent
 * producer (acks=all), once the batch's state is saved (a report comes after its save). The final
 * summary, a repeat of the last report, is not written. The topic is created, with the broker's
 * defaults, when it does not exist.
 *
 * <p>Effectively once, not transactional: the write is not in one transaction with the state, which
 * lives in the job's checkpoint, not in Kafka. Instead each write is acknowledged by the broker
 * before the job goes on to its next batch (and so to its next save), so that only the last saved
 * batch's report can be missing after a crash; and a restarted job writes that report again ({@link
 * Printed.Kind#RESUMED}), made from its saved state, under the same key and with the same value. A
 * key may so be written twice, never with two values, and no saved batch's report is missing. While
 * the broker does not acknowledge (it is away), the job waits and tries again, saying so once; a
 * write the broker refuses for good (an ACL, a topic it cannot create) stops the job, whose saved
 * state then ends at that batch, so that its restart writes the report.
 */
public final class ReportTopic implements AutoCloseable {

  /** How long a write waits for an acknowledgement before it says that it waits. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final Duration patience;

  /**
   * How long closing waits for a write still in flight: only one that the broker has not answered
   * can be, the last saved batch's, which a restart writes again.
   */
  private static final Duration CLOSING = Duration.ofSeconds(5);

  /** How long the producer waits for the topic's metadata, or for room in its buffer. */
  private static final Duration MAX_BLOCK = Duration.ofSeconds(10);

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final String job;
  private final PrintWriter err;
  private final CompletableFuture<Void> created; // the topic created, or there already
  private volatile boolean closing;

  /**
   * @param settings the job's Kafka client settings (security, …): those a producer and an admin
   *     client take
   */
  public ReportTopic(
      String bootstrap, Map<String, String> settings, String topic, String job, PrintWriter err) {
    this(bootstrap, settings, topic, job, err, PATIENCE);
  }

  /** {@code patience}: how long a write waits before it says that it waits (for tests). */
  ReportTopic(
      String bootstrap,
      Map<String, String> settings,
      String topic,
      String job,
      PrintWriter err,
      Duration patience) {
    this.patience = patience;
    Map<String, Object> config = clientConfig(bootstrap, settings, ProducerConfig.configNames());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "lab-cli-" + job + "-reports");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    this.topic = topic;
    this.job = job;
    this.err = err;
    Map<String, Object> adminConfig =
        clientConfig(bootstrap, settings, AdminClientConfig.configNames());
    // While Spark starts: the first report does not wait for it.
    this.created = CompletableFuture.runAsync(() -> create(adminConfig), daemonThread());
  }

  private static Map<String, Object> clientConfig(
      String bootstrap, Map<String, String> settings, Set<String> names) {
    Map<String, Object> config = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (names.contains(key) || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
            config.put(key, value);
          }
        });
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return config;
  }

  private static java.util.concurrent.Executor daemonThread() {
    return task -> {
      Thread thread = new Thread(task, "report-topic");
      thread.setDaemon(true);
      thread.start();
    };
  }

  /**
   * Creates the topic when it does not exist.
   *
   * @throws IllegalStateException when the broker refuses for good (the name collides with a
   *     topic's, an ACL); not when it does not answer, which the writes meet and wait out
   */
  private void create(Map<String, Object> adminConfig) {
    try (Admin admin = Admin.create(adminConfig)) {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
          .all()
          .get(Math.max(patience.toMillis(), MAX_BLOCK.toMillis()), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      // Not allowed to create topics (an ACL) says nothing of writing to one that exists: the
      // writes find out.
      if (!(cause instanceof TopicExistsException
          || cause instanceof RetriableException
          || cause instanceof AuthorizationException)) {
        throw new IllegalStateException(refusal(cause));
      }
    } catch (TimeoutException | RuntimeException e) {
      // Not answered: the writes wait for the broker.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String refusal(Throwable cause) {
    return "cannot write the reports to --output-topic "
        + topic
        + " ("
        + cause.getClass().getSimpleName()
        + ": "
        + cause.getMessage()
        + ")";
  }

  /**
   * Writes {@code report}, unless it is the final summary, and returns once the broker acknowledged
   * it: while the broker does not answer, it says so once, then waits and tries again.
   *
   * @throws IllegalStateException when the broker refuses the write for good, saying why: the job
   *     stops, its saved state ending at this report's batch
   */
  public void write(Printed report) {
    if (report.kind() == Printed.Kind.FINAL) {
      return;
    }
    try {
      created.join();
    } catch (CompletionException e) {
      throw (IllegalStateException) e.getCause();
    }
    String key = job + "@" + Instant.ofEpochMilli(report.timeMillis());
    ProducerRecord<String, String> record =
        new ProducerRecord<>(topic, key, LabJson.write(report.json()));
    boolean said = false;
    Future<RecordMetadata> sent = producer.send(record);
    try {
      while (!closing) {
        try {
          sent.get(patience.toMillis(), TimeUnit.MILLISECONDS);
          if (said) {
            say("the report " + key + " is written to topic " + topic + "; the job goes on");
          }
          return;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (!(cause instanceof RetriableException)) {
            throw new IllegalStateException(refusal(cause) + ": the job stops", cause);
          }
          if (!said) {
            said = true;
            say(waiting(key, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
          }
          TimeUnit.SECONDS.sleep(1);
          sent = producer.send(record); // its delivery timed out: again
        } catch (TimeoutException e) {
          if (!said) {
            said = true;
            say(waiting(key, "not acknowledged within " + patience.toSeconds() + " s"));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the job is stopping: its restart writes this report
    }
  }

  private String waiting(String key, String cause) {
    return "warning: cannot write the report "
        + key
        + " to topic "
        + topic
        + " ("
        + cause
        + "); the job waits for the broker and tries again, so that no saved batch's report is"
        + " lost";
  }

  private void say(String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }

  /** Stops a write that waits, and closes the producer, waiting at most 5 s for it. */
  @Override
  public void close() {
    closing = true;
    producer.close(CLOSING);
  }
}
