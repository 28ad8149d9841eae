package dev.streamlab.lab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The heap of this JVM as the bench reports it, in MB: the peak of a phase, and what is kept. */
final class HeapGauge {

  private HeapGauge() {}

  /** Collects garbage and starts a new peak. */
  static void resetPeak() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last {@link #resetPeak}. */
  static long peakMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }

  /**
   * The heap in use right after a full collection: what the JVM keeps, without garbage. Comparing
   * it before and after a long run shows whether the run leaves anything behind as it goes.
   */
  static long afterFullCollectionMb() {
    System.gc(); // a full collection with G1 unless -XX:+ExplicitGCInvokesConcurrent
    return (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
  }
}
