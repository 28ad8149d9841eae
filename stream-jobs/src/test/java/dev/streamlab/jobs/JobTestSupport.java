package dev.streamlab.jobs;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the job tests share beside the test kit ({@code dev.streamlab.testkit}): waiting for output.
 */
final class JobTestSupport {

  private JobTestSupport() {}

  /** Waits until {@code done}, at most 60 s; the test's assertions say what was missing. */
  static void awaitUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
