package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * Decides, on the driver, which offsets of a topic each batch reads: from where the last batch
 * ended up to what a consumer of the source's isolation level can see now (the last stable offset
 * under {@code read_committed}), partition by partition, and checks on the way that the topic is
 * still the one the job counts.
 *
 * <ul>
 *   <li>The topic's partitions are looked up at every batch. A partition the job has not seen
 *       before (added while it runs, or while it was down) is read from offset 0, where every
 *       partition starts: records already deleted from it count as lost, like any others.
 *   <li>Records lost before the job read them are found here, before anything is read: a partition
 *       whose next offset is below its earliest one (retention, {@code deleteRecords}); a log that
 *       ends below the job's next offset (truncated by an unclean leader election, or its data
 *       lost); a topic with another id than the job's (deleted and created again, or another
 *       cluster's); a topic that is gone. The planner then stops with a {@link DataLossException},
 *       or, when the source says {@link KafkaSource.OnDataLoss#CONTINUE}, goes on (from the
 *       earliest record, the log's end, or a re-created topic's start) and says what it skipped in
 *       the plan.
 *   <li>A partition held back by an open transaction, or without a leader, for longer than {@link
 *       #stallAfter} is a {@link KafkaStall}, said once when it starts and once when it ends.
 *   <li>When Kafka does not answer within the timeout (a broker away), the batch reads nothing and
 *       the next one asks again: the driver never waits on Kafka for longer than that, so a broker
 *       may be away for any time without failing the job, and a stop is never held up.
 * </ul>
 *
 * <p>The lookups go through Kafka's Admin client ({@link TopicLookup}), which never creates the
 * topic by asking about it, as a consumer may.
 *
 * <p>Not thread-safe: Spark's job generator calls it from one thread.
 */
final class BatchPlanner implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * A partition read on from another offset than where the job stood, because its log changed under
   * it; the records between were not counted (how many is unknown).
   *
   * @param partition the partition
   * @param savedOffset where the job stood (its next offset)
   * @param restartOffset where it reads on from: 0 on a topic created again, the log's end on a
   *     truncated log
   */
  record Rewind(TopicPartition partition, long savedOffset, long restartOffset)
      implements Serializable {}

  /**
   * What one batch reads, and what was found on the way.
   *
   * @param ranges the offsets each partition reads
   * @param lost records deleted before they were read, which the job goes on past
   * @param rewinds partitions read on from another offset than the job's, which it goes on past
   * @param topicId the id of the topic read, when it changed in this batch (the topic was created
   *     again and the job goes on); null otherwise
   * @param stalls the partitions standing still now
   * @param lag how far behind each partition is once the batch has read its range; empty when Kafka
   *     did not answer
   */
  record Plan(
      List<OffsetRange> ranges,
      List<LostRecords> lost,
      List<Rewind> rewinds,
      String topicId,
      List<KafkaStall> stalls,
      List<PartitionLag> lag)
      implements Serializable {

    static final Plan NOTHING =
        new Plan(List.of(), List.of(), List.of(), null, List.of(), List.of());

    Plan {
      lag = lag == null ? List.of() : List.copyOf(lag); // null in a plan of an older release
    }

    /** How many offsets the batch covers (records, and the markers of transactions). */
    long offsets() {
      return ranges.stream().mapToLong(OffsetRange::count).sum();
    }
  }

  /** Where a stall stands: its offset, since when, and whether it was said. */
  private record Watch(KafkaStall stall, boolean said) {}

  private final KafkaSource source;
  private final Duration timeout;
  private final Duration stallAfter;
  private final HashMap<TopicPartition, Long> next;
  private final HashMap<TopicPartition, Watch> watches = new HashMap<>();
  private final ArrayList<KafkaNotice> notices = new ArrayList<>();
  private String topicId;
  private transient TopicLookup lookup;

  /**
   * A planner of {@code source}'s batches, going on from {@code resumeFrom} (each partition's next
   * offset; a partition not in it is read from offset 0).
   *
   * @param topicId the id of the topic the job counts, or null to take the one found first
   * @param timeout how long each batch may wait for Kafka's answers before it reads nothing
   * @param stallAfter how long a partition may stand still before it is said to
   */
  BatchPlanner(
      KafkaSource source,
      Map<TopicPartition, Long> resumeFrom,
      String topicId,
      Duration timeout,
      Duration stallAfter) {
    this.source = source;
    this.timeout = timeout;
    this.stallAfter = stallAfter;
    this.next = new HashMap<>(resumeFrom);
    this.topicId = topicId;
  }

  /**
   * The next batch: every partition from its next offset up to the end that the isolation level
   * sees; nothing when Kafka does not answer in time.
   *
   * @param limit given how far behind each partition is (in offsets), the most each may read in
   *     this batch; a partition it leaves out is read to its end
   * @throws DataLossException when records not read yet are gone and the source says {@link
   *     KafkaSource.OnDataLoss#FAIL}; the planner is then unchanged
   */
  Plan next(UnaryOperator<Map<TopicPartition, Long>> limit) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<TopicLookup.Description> found;
    Map<TopicPartition, Long> earliest;
    Map<TopicPartition, Long> stable;
    Map<TopicPartition, Long> logEnd;
    try {
      found = lookup().describe(timeout);
      if (found.isEmpty()) {
        return topicGone();
      }
      List<TopicPartition> led = found.get().led();
      IsolationLevel isolation =
          source.isolation() == KafkaSource.Isolation.READ_COMMITTED
              ? IsolationLevel.READ_COMMITTED
              : IsolationLevel.READ_UNCOMMITTED;
      earliest = lookup().offsets(led, OffsetSpec.earliest(), isolation, deadline);
      stable = lookup().offsets(led, OffsetSpec.latest(), isolation, deadline);
      logEnd =
          isolation == IsolationLevel.READ_COMMITTED
              ? lookup()
                  .offsets(led, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED, deadline)
              : stable;
    } catch (TimeoutException | ExecutionException e) { // a broker away: ask again next batch
      return Plan.NOTHING;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Plan.NOTHING;
    }
    TopicLookup.Description topic = found.get();

    HashMap<TopicPartition, Long> from = new HashMap<>(next);
    List<Rewind> rewinds = new ArrayList<>();
    String newTopicId = null;
    if (topicId != null && !topicId.equals(topic.topicId())) {
      if (source.onDataLoss() == KafkaSource.OnDataLoss.FAIL) {
        throw DataLossException.recreated(source.topic(), topicId, topic.topicId(), next);
      }
      next.forEach((partition, saved) -> rewinds.add(new Rewind(partition, saved, 0)));
      from.clear();
      newTopicId = topic.topicId();
    }

    List<LostRecords> lost = new ArrayList<>();
    List<Rewind> truncated = new ArrayList<>();
    Map<TopicPartition, Long> start = new HashMap<>();
    for (TopicPartition partition : topic.partitions().keySet()) {
      Long first = earliest.get(partition);
      Long visible = stable.get(partition);
      Long end = logEnd.get(partition);
      if (first == null || visible == null || end == null) {
        continue; // no answer for it this batch: it reads nothing, and its offset stays
      }
      long offset = from.getOrDefault(partition, 0L);
      if (offset > end) {
        truncated.add(new Rewind(partition, offset, end));
        offset = end;
      }
      if (offset < first) {
        lost.add(LostRecords.of(partition, offset, first));
        offset = first;
      }
      start.put(partition, offset);
    }
    truncated.sort(Comparator.comparing(rewind -> rewind.partition().toString()));
    lost.sort(Comparator.comparing(LostRecords::topic).thenComparing(LostRecords::partition));
    if ((!lost.isEmpty() || !truncated.isEmpty())
        && source.onDataLoss() == KafkaSource.OnDataLoss.FAIL) {
      throw DataLossException.of(lost, truncated);
    }
    rewinds.addAll(truncated);

    Map<TopicPartition, Long> behind = new HashMap<>();
    start.forEach(
        (partition, offset) -> behind.put(partition, Math.max(0, stable.get(partition) - offset)));
    Map<TopicPartition, Long> most = limit.apply(behind);
    List<OffsetRange> ranges = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> partition : start.entrySet()) {
      TopicPartition tp = partition.getKey();
      long offset = partition.getValue();
      // A range never ends below its start: a job resumed under read_committed from offsets that
      // read_uncommitted reached waits for the last stable offset to pass them.
      long until = Math.max(offset, stable.get(tp));
      Long cap = most.get(tp);
      if (cap != null) {
        until = Math.min(until, saturatedAdd(offset, cap));
      }
      ranges.add(OffsetRange.create(tp, offset, until));
    }
    ranges.sort(Comparator.comparing(OffsetRange::topic).thenComparing(OffsetRange::partition));

    // Only now, with nothing left to refuse, does the planner move on.
    if (newTopicId != null) {
      next.clear();
      notices.add(
          new KafkaNotice(
              System.currentTimeMillis(),
              KafkaNotice.Kind.RESET,
              "topic "
                  + source.topic()
                  + " was created again (topic id "
                  + topicId
                  + ", now "
                  + newTopicId
                  + "): the job had read the old topic up to "
                  + DataLossException.offsets(rewinds)
                  + ", and anything written to it after that was never read; counting the new"
                  + " topic from its start (--on-data-loss continue)"));
      topicId = newTopicId;
    }
    if (!lost.isEmpty()) {
      notices.add(
          new KafkaNotice(
              System.currentTimeMillis(),
              KafkaNotice.Kind.RESET,
              LostRecords.count(lost)
                  + " records were deleted from the topic before the job read them (retention or"
                  + " deleteRecords): "
                  + LostRecords.describe(lost)
                  + "; going on from the earliest records still there (--on-data-loss"
                  + " continue), counted as lost"));
    }
    for (Rewind rewind : truncated) {
      notices.add(
          new KafkaNotice(
              System.currentTimeMillis(),
              KafkaNotice.Kind.RESET,
              rewind.partition()
                  + " now ends at offset "
                  + rewind.restartOffset()
                  + ", below the job's "
                  + rewind.savedOffset()
                  + " (the log was truncated): reading on from its end (--on-data-loss"
                  + " continue)"));
    }
    for (OffsetRange range : ranges) {
      next.put(range.topicPartition(), range.untilOffset());
    }
    if (topicId == null) {
      topicId = topic.topicId();
    }
    List<KafkaStall> stalls = watch(topic, stable, logEnd);
    List<PartitionLag> lag =
        ranges.stream()
            .map(
                range ->
                    new PartitionLag(
                        range.topic(),
                        range.partition(),
                        range.untilOffset(),
                        stable.get(range.topicPartition()),
                        logEnd.get(range.topicPartition())))
            .toList();
    return new Plan(
        List.copyOf(ranges), List.copyOf(lost), List.copyOf(rewinds), newTopicId, stalls, lag);
  }

  /**
   * The notices since the last call, in the order they arose: stalls that began or ended,
   * partitions read on from elsewhere.
   */
  List<KafkaNotice> takeNotices() {
    List<KafkaNotice> taken = List.copyOf(notices);
    notices.clear();
    return taken;
  }

  /** Closes the planner's Admin client; a later batch would open a new one. */
  void close() {
    if (lookup != null) {
      lookup.close();
      lookup = null;
    }
  }

  /** The topic no longer exists: a loss, unless the source goes on; then it waits for it. */
  private Plan topicGone() {
    if (source.onDataLoss() == KafkaSource.OnDataLoss.FAIL && !next.isEmpty()) {
      throw DataLossException.gone(source.topic(), source.bootstrapServers(), next);
    }
    return Plan.NOTHING;
  }

  /**
   * Follows each partition that stands still (held back by an open transaction, or without a
   * leader), says so once when it has for {@link #stallAfter}, and once when it moves again.
   *
   * @return the stalls said and not over
   */
  private List<KafkaStall> watch(
      TopicLookup.Description topic,
      Map<TopicPartition, Long> stable,
      Map<TopicPartition, Long> end) {
    long now = System.currentTimeMillis();
    HashMap<TopicPartition, Watch> still = new HashMap<>();
    for (TopicPartition partition : topic.partitions().keySet()) {
      KafkaStall stall = null;
      Long visible = stable.get(partition);
      Long last = end.get(partition);
      Watch before = watches.get(partition);
      if (visible == null || last == null) {
        long offset = next.getOrDefault(partition, 0L);
        stall =
            before != null && before.stall().cause() == KafkaStall.Cause.NO_LEADER
                ? before.stall()
                : new KafkaStall(
                    partition.topic(),
                    partition.partition(),
                    KafkaStall.Cause.NO_LEADER,
                    offset,
                    0,
                    now);
      } else if (visible < last) {
        stall =
            before != null
                    && before.stall().cause() == KafkaStall.Cause.OPEN_TRANSACTION
                    && before.stall().offset() == visible
                ? new KafkaStall(
                    partition.topic(),
                    partition.partition(),
                    KafkaStall.Cause.OPEN_TRANSACTION,
                    visible,
                    last - visible,
                    before.stall().sinceMillis())
                : new KafkaStall(
                    partition.topic(),
                    partition.partition(),
                    KafkaStall.Cause.OPEN_TRANSACTION,
                    visible,
                    last - visible,
                    now);
      }
      if (before != null && before.said() && (stall == null || stall.sinceMillis() == now)) {
        notices.add(
            new KafkaNotice(
                now,
                KafkaNotice.Kind.MOVING,
                before.stall().name()
                    + " moves again, "
                    + Math.max(0, (now - before.stall().sinceMillis()) / 1000)
                    + " s after the job found it held"));
      }
      if (stall != null) {
        boolean said = before != null && before.said() && stall.sinceMillis() != now;
        if (!said && now - stall.sinceMillis() >= stallAfter.toMillis()) {
          notices.add(new KafkaNotice(now, KafkaNotice.Kind.STALLED, stall.describe(now)));
          said = true;
        }
        still.put(partition, new Watch(stall, said));
      }
    }
    watches.clear();
    watches.putAll(still);
    return watches.values().stream()
        .filter(Watch::said)
        .map(Watch::stall)
        .sorted(Comparator.comparing(KafkaStall::name))
        .toList();
  }

  private TopicLookup lookup() {
    if (lookup == null) {
      lookup = new TopicLookup(source);
    }
    return lookup;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
