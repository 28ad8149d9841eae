package dev.streamlab.jobs.kafka;

import dev.streamlab.jobs.checkpoint.CheckpointMismatchException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Where a Kafka job starts, decided on the driver before anything is read: a new job at the start
 * its {@link KafkaSource} asks for, every partition's offset recorded at once; a resumed job where
 * its saved state ends, once the state is found to count this job's topic on this cluster.
 *
 * <ul>
 *   <li>A new job creates its topic (one partition) when there is none; a resumed one never does.
 *   <li>A state of another job, or of another topic, is a {@link CheckpointMismatchException}.
 *   <li>A topic with another id than the state's (deleted and created again) is a {@link
 *       DataLossException}; with {@link KafkaSource.OnDataLoss#CONTINUE}, the new topic is counted
 *       from its start, on top of what the state counts, and a notice says so.
 *   <li>Another cluster (another at the same address, or one made anew after it lost its data) is
 *       refused whatever the policy: the state could not go on from it and come back without
 *       counting the first cluster's records twice.
 *   <li>A state saved by release 0.1.0, which names no identity (or, exported, only its job and
 *       topic), is taken as this job's topic here (its offsets name the topic) and gets its
 *       identity now.
 * </ul>
 */
final class StartingPoint {

  /** How long the start waits for Kafka's answers before it says Kafka is unreachable. */
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Where the job starts, and what to tell the user about it. */
  record Start(StateStore.Saved<Serializable> saved, List<KafkaNotice> notices, boolean changed) {}

  private StartingPoint() {}

  /**
   * Where {@code job} starts on {@code source}, from {@code saved} when it has a saved state.
   *
   * @param initial the state of a new job, before its first batch
   * @param where the checkpoint directory, to name it in errors (null when there is none)
   * @throws CheckpointMismatchException when the saved state is another job's or topic's
   * @throws DataLossException when the topic is not the one the state counts, unless the source
   *     goes on
   * @throws IllegalStateException when Kafka is unreachable, or the topic the state counts is gone
   */
  static Start of(
      KafkaSource source,
      String job,
      Optional<StateStore.Saved<Serializable>> saved,
      Serializable initial,
      String where) {
    try (TopicLookup lookup = new TopicLookup(source)) {
      String clusterId = lookup.clusterId(TIMEOUT);
      Optional<TopicLookup.Description> topic = lookup.describe(TIMEOUT);
      if (saved.isPresent()) {
        return resume(source, job, saved.get(), clusterId, topic, where);
      }
      if (topic.isEmpty()) {
        create(source);
        topic = describeCreated(lookup, source.topic());
      }
      Map<TopicPartition, Long> offsets = startOffsets(lookup, source, topic.get());
      CheckpointIdentity identity =
          new CheckpointIdentity(job, source.topic(), clusterId, topic.get().topicId());
      return new Start(StateStore.Saved.start(initial, offsets, identity), List.of(), true);
    } catch (TimeoutException | ExecutionException e) {
      throw unreachable(source, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up topic " + source.topic(), e);
    }
  }

  private static Start resume(
      KafkaSource source,
      String job,
      StateStore.Saved<Serializable> saved,
      String clusterId,
      Optional<TopicLookup.Description> topic,
      String where) {
    CheckpointIdentity identity = saved.identity();
    if (identity != null && !identity.job().equals(job)) {
      throw new CheckpointMismatchException(
          "--checkpoint",
          "the checkpoint in "
              + where
              + " holds the state of the '"
              + identity.job()
              + "' job, not of '"
              + job
              + "': give another --checkpoint directory");
    }
    String counted =
        identity != null
            ? identity.topic()
            : saved.offsets().keySet().stream().map(TopicPartition::topic).findFirst().orElse(null);
    if (counted != null && !counted.equals(source.topic())) {
      throw new CheckpointMismatchException(
          "--topic",
          "the checkpoint in "
              + where
              + " counts topic '"
              + counted
              + "', not '"
              + source.topic()
              + "': give --topic "
              + counted
              + " to go on counting it, or another --checkpoint directory for "
              + source.topic());
    }
    if (topic.isEmpty()) {
      throw new IllegalStateException(
          "topic "
              + source.topic()
              + " does not exist at "
              + source.bootstrapServers()
              + ", and the checkpoint in "
              + where
              + " has counted it up to "
              + DataLossException.describe(saved.offsets())
              + ": it was deleted, or this is another cluster; a job that resumes never creates"
              + " its topic, so give the --bootstrap-server of the cluster that has it, or create"
              + " the topic and run with --on-data-loss continue to count it anew");
    }
    CheckpointIdentity here =
        new CheckpointIdentity(job, source.topic(), clusterId, topic.get().topicId());
    if (identity == null || !identity.recorded()) {
      return new Start(saved.identifiedAs(here), List.of(), true); // release 0.1.0's state
    }
    if (identity.equals(here)) {
      return new Start(saved, List.of(), false);
    }
    if (!identity.clusterId().equals(clusterId)) {
      // Never gone on from: a later run back on the first cluster would count its topic again.
      throw new IllegalStateException(
          source.bootstrapServers()
              + " is Kafka cluster "
              + clusterId
              + ", not the "
              + identity.clusterId()
              + " whose topic "
              + source.topic()
              + " the checkpoint in "
              + where
              + " counts (it read it up to "
              + DataLossException.describe(saved.offsets())
              + "): give the --bootstrap-server of that cluster to go on counting it, or another"
              + " --checkpoint directory to count this one's (a cluster that lost its data and"
              + " was made anew is another cluster)");
    }
    String what =
        "topic "
            + source.topic()
            + " has the id "
            + here.topicId()
            + ", not the "
            + identity.topicId()
            + " the checkpoint in "
            + where
            + " counts: it was deleted and created again; the checkpoint had read the old topic up"
            + " to "
            + DataLossException.describe(saved.offsets())
            + ", and anything written to it after that was never read";
    if (source.onDataLoss() == KafkaSource.OnDataLoss.FAIL) {
      throw DataLossException.recreated(what);
    }
    List<KafkaNotice> notices = new ArrayList<>();
    notices.add(
        new KafkaNotice(
            System.currentTimeMillis(),
            KafkaNotice.Kind.RESET,
            what
                + "; the new topic is counted from its start on top of the checkpoint's counts"
                + " (--on-data-loss continue)"));
    StateStore.Saved<Serializable> anew =
        new StateStore.Saved<>(
            saved.state(), Map.of(), saved.lostRecords(), here, saved.lastBatch());
    return new Start(anew, notices, true);
  }

  /** Each partition's first offset for a new job: its earliest, or its end as the source reads. */
  private static Map<TopicPartition, Long> startOffsets(
      TopicLookup lookup, KafkaSource source, TopicLookup.Description topic)
      throws InterruptedException, TimeoutException {
    IsolationLevel isolation =
        source.isolation() == KafkaSource.Isolation.READ_COMMITTED
            ? IsolationLevel.READ_COMMITTED
            : IsolationLevel.READ_UNCOMMITTED;
    OffsetSpec spec =
        source.startingOffsets() == KafkaSource.StartingOffsets.LATEST
            ? OffsetSpec.latest()
            : OffsetSpec.earliest();
    List<TopicPartition> partitions = new ArrayList<>(topic.partitions().keySet());
    Map<TopicPartition, Long> offsets =
        lookup.offsets(partitions, spec, isolation, System.nanoTime() + TIMEOUT.toNanos());
    for (TopicPartition partition : partitions) {
      if (!offsets.containsKey(partition)) {
        throw new TimeoutException(
            "no offsets of " + partition + " within " + TIMEOUT.toSeconds() + " s (no leader?)");
      }
    }
    return new HashMap<>(offsets);
  }

  private static void create(KafkaSource source)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> config = source.adminProperties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(Set.of(new NewTopic(source.topic(), 1, (short) 1)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /**
   * The description of a topic just created: the broker that answers may not know it yet for a
   * moment (its metadata lags the controller's), so it is asked again for up to {@link #TIMEOUT}.
   */
  private static Optional<TopicLookup.Description> describeCreated(TopicLookup lookup, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Optional<TopicLookup.Description> found = lookup.describe(TIMEOUT);
      if (found.isPresent() && !found.get().partitions().isEmpty()) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topic " + topic + " created, but not described since");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /**
   * The failure to look up the topic: Kafka unreachable when it did not answer in time; otherwise
   * what it answered (credentials refused, an ACL, …), its cause kept for the command to tell.
   */
  private static IllegalStateException unreachable(KafkaSource source, Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException
        || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return new KafkaUnreachableException(
          "Kafka is unreachable at "
              + source.bootstrapServers()
              + ": cannot look up topic "
              + source.topic()
              + " (no answer within "
              + TIMEOUT.toSeconds()
              + " s): is Kafka running there?",
          source.bootstrapServers(),
          source.consumerProperties().getOrDefault("security.protocol", "PLAINTEXT"),
          source.consumerProperties().getOrDefault("sasl.mechanism", "GSSAPI"),
          e);
    }
    if (cause instanceof TopicAuthorizationException denied
        && denied.unauthorizedTopics().isEmpty()) {
      // The admin client's answer names no topic: this one is the topic it was asked about.
      cause = new TopicAuthorizationException(denied.getMessage(), Set.of(source.topic()));
    }
    String message = cause.getMessage();
    return new IllegalStateException(
        "cannot look up topic "
            + source.topic()
            + " at "
            + source.bootstrapServers()
            + " ("
            + cause.getClass().getSimpleName()
            + (message != null && !message.isBlank()
                ? ": " + message.strip().lines().findFirst().orElse("")
                : "")
            + ")",
        cause);
  }
}
