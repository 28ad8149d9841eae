package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits a job's saved offsets to a consumer group, for Kafka's own tools ({@code
 * kafka-consumer-groups --describe}, lag exporters) to see how far behind it is; for monitoring
 * only: the group's offsets are never read back, the job's saved state decides where it reads on.
 *
 * <p>A commit never holds a batch up: it is sent and not waited for, one at a time, the newest
 * offsets going next when one is in flight. A commit that fails (the broker away, the group in use
 * by running consumers, an ACL) is said once as a warning, and once when commits work again; the
 * job goes on either way. On the driver only.
 */
final class GroupCommits implements Serializable {

  private static final long serialVersionUID = 1L;

  private final KafkaSource source;
  private final KafkaNotice.Listener notices;
  private transient Admin admin;
  private transient boolean inFlight;
  private transient Map<TopicPartition, Long> pending; // the newest offsets not sent yet
  private transient boolean failing;

  /**
   * @param notices where the warnings go, or null
   */
  GroupCommits(KafkaSource source, KafkaNotice.Listener notices) {
    this.source = source;
    this.notices = notices;
  }

  /** Commits {@code offsets}, the job's next offsets as just saved, when it can. */
  synchronized void commit(Map<TopicPartition, Long> offsets) {
    pending = Map.copyOf(offsets);
    if (!inFlight) {
      send();
    }
  }

  private void send() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    pending.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
    pending = null;
    inFlight = true;
    try {
      admin()
          .alterConsumerGroupOffsets(source.commitGroup(), offsets)
          .all()
          .whenComplete((done, failure) -> completed(failure));
    } catch (RuntimeException e) {
      completed(e);
    }
  }

  private synchronized void completed(Throwable failure) {
    inFlight = false;
    if (failure != null && !failing) {
      failing = true;
      say(
          KafkaNotice.Kind.COMMITS_FAILING,
          "cannot commit the saved offsets to consumer group "
              + source.commitGroup()
              + " ("
              + failure.getClass().getSimpleName()
              + ": "
              + failure.getMessage()
              + "): the job goes on, its own saved state being what counts; Kafka's tools show"
              + " the group's older offsets until a commit works");
    } else if (failure == null && failing) {
      failing = false;
      say(
          KafkaNotice.Kind.COMMITS_WORKING,
          "the saved offsets are committed to consumer group " + source.commitGroup() + " again");
    }
    if (pending != null) {
      send();
    }
  }

  private void say(KafkaNotice.Kind kind, String line) {
    if (notices != null) {
      notices.notice(new KafkaNotice(System.currentTimeMillis(), kind, line));
    }
  }

  private Admin admin() {
    if (admin == null) {
      Map<String, Object> config = source.adminProperties();
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamlab-commits-" + source.commitGroup());
      admin = Admin.create(config);
    }
    return admin;
  }

  /** Closes the admin client, after the commit in flight if any (at most a few seconds). */
  synchronized void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
      admin = null;
    }
  }
}
