package dev.streamlab.lab.live;

import dev.streamlab.lab.print.LabJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The events of one job's live page, each a JSON object on one line, and the pages that get them: a
 * history for pages that connect late, and a queue of its own for each connected page, so that
 * publishing never waits for one. A page that falls {@value #BACKLOG} events behind is dropped: its
 * queue ends, and the page reconnects and starts again from the history.
 *
 * <p>Thread-safe: the job's threads publish, the HTTP server's threads subscribe.
 */
final class PageEvents {

  /** How many events of each type a page that connects late gets first. */
  static final int HISTORY = 2_000;

  /** How many events a page may fall behind before it is dropped. */
  static final int BACKLOG = 10_000;

  /** The marker that ends a page's queue; never sent. */
  static final String END_OF_QUEUE = "";

  private static final String END = LabJson.write(LabJson.object().put("type", "end"));

  private final String job;
  private final Deque<String> reports = new ArrayDeque<>();
  private final Deque<String> batches = new ArrayDeque<>();
  private final Set<BlockingQueue<String>> pages = ConcurrentHashMap.newKeySet();
  private String source;
  private boolean ended;

  /** The events of a page whose first event is {@code job}. */
  PageEvents(String job) {
    this.job = job;
  }

  /**
   * What a page that connects now gets.
   *
   * @param first the events so far: the job, its source, the history, and the end if it came
   * @param queue the events to come, up to {@link #END_OF_QUEUE}; null when the job has ended
   */
  record Subscription(List<String> first, BlockingQueue<String> queue) {}

  /** Connects a page. */
  synchronized Subscription subscribe() {
    List<String> first = new ArrayList<>();
    first.add(job);
    if (source != null) {
      first.add(source);
    }
    first.addAll(batches);
    first.addAll(reports);
    if (ended) {
      first.add(END);
      return new Subscription(first, null);
    }
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(BACKLOG);
    pages.add(queue);
    return new Subscription(first, queue);
  }

  /** Forgets a page that went away. */
  void unsubscribe(BlockingQueue<String> queue) {
    if (queue != null) {
      pages.remove(queue);
    }
  }

  /** The job's source, sent now and to every page that connects later. */
  synchronized void source(String event) {
    source = event;
    send(event);
  }

  /** A report, kept in the history. */
  synchronized void report(String event) {
    keep(reports, event);
  }

  /** A batch, kept in the history. */
  synchronized void batch(String event) {
    keep(batches, event);
  }

  /** Tells every page that the job has stopped, and ends their queues; publishes nothing more. */
  synchronized void end() {
    if (!ended) {
      send(END);
      ended = true;
      pages.forEach(queue -> queue.offer(END_OF_QUEUE));
    }
  }

  private void keep(Deque<String> history, String event) {
    if (ended) {
      return;
    }
    history.addLast(event);
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    send(event);
  }

  private void send(String event) {
    if (ended) {
      return;
    }
    for (BlockingQueue<String> queue : pages) {
      if (!queue.offer(event)) {
        pages.remove(queue); // too far behind: its stream ends, and it reconnects
        queue.clear();
        queue.offer(END_OF_QUEUE);
      }
    }
  }
}
