package dev.streamlab.lab.run;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStopped;

/**
 * Warns, in one line, when a job's socket source goes away, and says when lines arrive again.
 *
 * <p>Spark's socket receiver does not fail the job when its server closes or refuses the
 * connection: it reconnects every 2 s ({@code spark.streaming.receiverRestartDelay}) until the
 * server is back. Each attempt logs a warning and an error with a stack trace; those are switched
 * off (they are still there with --verbose), and this listener reports the loss and the return once
 * each instead.
 */
final class SocketWatch implements StreamingListener {

  private static final String RESTARTING = "Restarting receiver with delay \\d+ ?ms: ";

  private final String address;
  private final PrintWriter err;
  private boolean lost;
  private volatile boolean stopping;

  SocketWatch(String address, PrintWriter err) {
    this.address = address;
    this.err = err;
  }

  /** From now on a receiver stop is the job's own: nothing to warn about. */
  void stopping() {
    stopping = true;
  }

  @Override
  public synchronized void onReceiverStopped(StreamingListenerReceiverStopped stopped) {
    if (stopping || lost) {
      return;
    }
    lost = true;
    String reason = stopped.receiverInfo().lastErrorMessage().replaceFirst(RESTARTING, "");
    report(
        "warning: socket source "
            + address
            + " is gone ("
            + reason
            + "); reconnecting every 2 s, the job goes on");
  }

  @Override
  public synchronized void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    if (lost && completed.batchInfo().numRecords() > 0) {
      lost = false;
      report("socket source " + address + " is back: lines are arriving again");
    }
  }

  private void report(String message) {
    err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
    err.flush();
  }
}
