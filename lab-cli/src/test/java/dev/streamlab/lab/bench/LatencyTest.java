package dev.streamlab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void eachLineWaitsForTheFirstReportThatCountsItsNumbers() {
    // 4 lines of 2 numbers, sent at 0, 100, 200 and 300 ms; reports at 250 ms (lines 1 and 2),
    // 500 ms (still 2 lines: nothing new), 900 ms (all 4).
    long[] sent = {0, 100, 200, 300};
    List<Latency.Report> reports =
        List.of(new Latency.Report(250, 4), new Latency.Report(500, 4), new Latency.Report(900, 8));

    Latency latency = Latency.of(sent, 4, 2, reports);

    // waits 250, 150, 700, 600: sorted 150, 250, 600, 700
    assertThat(latency).isEqualTo(new Latency(250, 700, 700, 4));
  }

  @Test
  void linesNoReportCountedAreLeftOut() {
    Latency latency = Latency.of(new long[] {0, 10, 20}, 3, 1, List.of(new Latency.Report(50, 1)));

    assertThat(latency.lines()).isEqualTo(1);
    assertThat(latency.max()).isEqualTo(50);
    assertThat(Latency.of(new long[] {0}, 1, 1, List.of()).lines()).isZero();
  }

  @Test
  void theNinetyNinthPercentileIsTheNearestRank() {
    long[] sent = new long[200];
    List<Latency.Report> reports = new java.util.ArrayList<>();
    for (int line = 0; line < 200; line++) {
      reports.add(new Latency.Report(line + 1, line + 1)); // line k waits k + 1 ms
    }

    Latency latency = Latency.of(sent, 200, 1, reports);

    assertThat(latency.p50()).isEqualTo(100);
    assertThat(latency.p99()).isEqualTo(198);
    assertThat(latency.max()).isEqualTo(200);
  }
}
