package dev.streamlab.lab.run;

import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code --output-topic}: each report the job prints, its JSON object, written to a Kafka topic
 * keyed by the job and the batch's time ({@code variance@2026-12-05T21:55:34Z}), by an idempotent
 * producer (acks=all), once the batch's state is saved (a report comes after its save). Each key is
 * written once: a crash between a batch's save and this write loses that report from the topic, and
 * the restarted job's reports (new batch times, cumulative counts) carry on. The write is not in
 * one transaction with the state, which lives in the job's checkpoint, not in Kafka. The final
 * summary, a repeat of the last report, is not written.
 */
public final class ReportTopic implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final String job;
  private final PrintWriter err;
  private volatile boolean failing; // one warning until a write works again

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
  }

  /** Writes {@code report}, unless it is the final summary; a failure is a warning on stderr. */
  public void write(Printed report) {
    if (report.last()) {
      return;
    }
    String key = job + "@" + Instant.ofEpochMilli(report.timeMillis());
    producer.send(
        new ProducerRecord<>(topic, key, LabJson.write(report.json())),
        (metadata, failure) -> {
          if (failure != null && !failing) {
            failing = true;
            synchronized (err) {
              err.println(
                  "warning: cannot write the report "
                      + key
                      + " to topic "
                      + topic
                      + " ("
                      + failure.getClass().getSimpleName()
                      + ": "
                      + failure.getMessage()
                      + "); the job goes on");
              err.flush();
            }
          } else if (failure == null) {
            failing = false;
          }
        });
  }

  /** Sends what is pending, waiting at most 30 s. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
