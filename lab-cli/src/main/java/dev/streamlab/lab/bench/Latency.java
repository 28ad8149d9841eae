package dev.streamlab.lab.bench;

import java.util.Arrays;
import java.util.List;

/**
 * How long a line waits from its send to the first report that counts it: the end-to-end latency of
 * the sustained-rate bench, in ms.
 *
 * <p>Lines are sent in order and a report counts every number acknowledged before its batch, so the
 * first report whose cumulative count reaches the numbers of lines 1 to k is the one that first
 * counts line k (to within the producer's records in flight, which a batch may read in another
 * order across partitions).
 *
 * @param p50 the median latency
 * @param p99 the 99th percentile
 * @param max the longest
 * @param lines how many lines it covers
 */
record Latency(long p50, long p99, long max, long lines) {

  /** A report as the bench received it: when, and how many numbers it counted since the start. */
  record Report(long atMillis, long numbers) {}

  /**
   * The latency of the first {@code lines} lines, sent at {@code sentAtMillis}, each of {@code
   * numbersPerLine} numbers, given the reports in the order they came. Lines no report counted are
   * left out.
   */
  static Latency of(long[] sentAtMillis, long lines, int numbersPerLine, List<Report> reports) {
    return of(sentAtMillis, 0, lines, numbersPerLine, reports);
  }

  /**
   * The latency of lines {@code from} (counted from 0) to {@code to} (excluded), the lines before
   * them being sent and counted too, but not measured (a warm-up).
   */
  static Latency of(
      long[] sentAtMillis, long from, long to, int numbersPerLine, List<Report> reports) {
    long[] waits = new long[(int) (to - from)];
    int counted = 0;
    int report = 0;
    for (int line = (int) from; line < to; line++) {
      long needed = (long) (line + 1) * numbersPerLine;
      while (report < reports.size() && reports.get(report).numbers() < needed) {
        report++;
      }
      if (report == reports.size()) {
        break;
      }
      waits[counted++] = Math.max(0, reports.get(report).atMillis() - sentAtMillis[line]);
    }
    if (counted == 0) {
      return new Latency(0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOf(waits, counted);
    Arrays.sort(sorted);
    return new Latency(
        percentile(sorted, 50), percentile(sorted, 99), sorted[counted - 1], counted);
  }

  /** The nearest-rank percentile {@code p} of {@code sorted}. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
