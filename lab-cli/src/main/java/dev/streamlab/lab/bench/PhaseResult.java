package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.ExactSums;

/**
 * What one phase of the bench measured, timed two ways: {@code seconds}, the processing, from its
 * first record to the exact total; and {@code fromStartSeconds}, from the phase's start to the
 * exact total, its start-up included (a Spark context and job, a Kafka Streams application with its
 * rebalance and internal topics, the limit's consumers), in this JVM, which is warm already.
 *
 * @param sums n, Σx and Σx² as the phase counted them
 * @param records the records it read
 * @param seconds how long it read, from its first record to its last
 * @param fromStartSeconds how long from its start, start-up included, to its exact total
 * @param batches its batches, or null for a phase without Spark
 */
record PhaseResult(
    String name,
    ExactSums sums,
    long records,
    double seconds,
    double fromStartSeconds,
    long peakHeapMb,
    BatchLog.Summary batches) {

  double numbersPerSecond() {
    return sums.n() / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }
}
