package dev.streamlab.lab.run;

import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code --output-topic}: each report the job prints, its JSON object, written to a Kafka topic
 * keyed by the job and the batch's time ({@code variance@2026-12-05T21:55:34Z}), by an idempotent
 * producer (acks=all), once the batch's state is saved (a report comes after its save). The final
 * summary, a repeat of the last report, is not written.
 *
 * <p>Effectively once, not transactional: the write is not in one transaction with the state, which
 * lives in the job's checkpoint, not in Kafka. Instead each write waits for the broker's
 * acknowledgement before the job goes on to its next batch (and so to its next save), so that only
 * the last saved batch's report can be missing after a crash; and a restarted job writes that
 * report again ({@link Printed.Kind#RESUMED}), made from its saved state, under the same key and
 * with the same value. A key may so be written twice, never with two values, and no saved batch's
 * report is missing. A write the broker does not acknowledge (it is away, an ACL) is one warning,
 * and the job goes on without waiting for the writes after it until one succeeds again.
 */
public final class ReportTopic implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final String job;
  private final PrintWriter err;

  /** How long a write waits for the broker's acknowledgement before the job goes on. */
  private static final Duration ACKNOWLEDGED_WITHIN = Duration.ofSeconds(30);

  private volatile boolean failing; // one warning, and no waiting, until a write works again

  /**
   * @param settings the job's Kafka client settings (security, …): those a producer takes
   */
  public ReportTopic(
      String bootstrap, Map<String, String> settings, String topic, String job, PrintWriter err) {
    Map<String, Object> config = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (ProducerConfig.configNames().contains(key)
              || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
            config.put(key, value);
          }
        });
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "lab-cli-" + job + "-reports");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    this.topic = topic;
    this.job = job;
    this.err = err;
    Thread lookup = new Thread(this::lookUpTopic, "report-topic-lookup");
    lookup.setDaemon(true);
    lookup.start();
  }

  /**
   * Asks for the topic's partitions (which creates it where the broker creates topics on first use)
   * while Spark starts, so that the first report does not wait for that; a failure is the first
   * write's to report.
   */
  private void lookUpTopic() {
    try {
      producer.partitionsFor(topic);
    } catch (RuntimeException e) {
      // The first write meets it too, and warns.
    }
  }

  /**
   * Writes {@code report}, unless it is the final summary, and waits for the broker's
   * acknowledgement (at most 30 s; not while writes fail); a failure is a warning on stderr.
   */
  public void write(Printed report) {
    if (report.kind() == Printed.Kind.FINAL) {
      return;
    }
    String key = job + "@" + Instant.ofEpochMilli(report.timeMillis());
    boolean waited = !failing;
    Future<RecordMetadata> sent =
        producer.send(
            new ProducerRecord<>(topic, key, LabJson.write(report.json())),
            (metadata, failure) -> {
              if (failure == null) {
                failing = false;
              } else {
                warn(key, failure.getClass().getSimpleName() + ": " + failure.getMessage());
              }
            });
    if (!waited) {
      return;
    }
    try {
      sent.get(ACKNOWLEDGED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // The callback warned.
    } catch (TimeoutException e) {
      warn(key, "not acknowledged within " + ACKNOWLEDGED_WITHIN.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the job is stopping: close() sends what is pending
    }
  }

  /** The one warning of a run of failed writes. */
  private void warn(String key, String cause) {
    synchronized (err) {
      if (failing) {
        return;
      }
      failing = true;
      err.println(
          "warning: cannot write the report "
              + key
              + " to topic "
              + topic
              + " ("
              + cause
              + "); the job goes on, and writes the reports after it without waiting until one"
              + " is acknowledged");
      err.flush();
    }
  }

  /** Sends what is pending, waiting at most 30 s. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
