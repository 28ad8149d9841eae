package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;

/**
 * What one phase of the bench measured.
 *
 * @param sums n, Σx and Σx² as the phase counted them
 * @param records the records it read
 * @param seconds how long it read, from its first record to its last
 * @param batches its batches, or null for a phase without Spark
 */
record PhaseResult(
    String name,
    ExactSums sums,
    long records,
    double seconds,
    long peakHeapMb,
    BatchLog.Summary batches) {

  double numbersPerSecond() {
    return sums.n() / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }
}
