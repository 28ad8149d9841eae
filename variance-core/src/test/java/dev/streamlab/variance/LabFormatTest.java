package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabFormatTest {

  /** Two lines of "1 2 3 4 5 6", as the lab's producer sends them. */
  private static final Stats LAB_SAMPLE = Stats.of(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);

  @Test
  void printsTheLabTupleWithTheExactVariance() {
    assertThat(LabFormat.tuple(LAB_SAMPLE, Algorithm.STABLE))
        .isEqualTo(
            "('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:', 2.9166666666666665)");
  }

  @Test
  void textbookReproducesTheCoursesOutputDigitForDigit() {
    // The course's expected output for two lines of 1..6 (DESIGN.md §2).
    assertThat(LabFormat.tuple(LAB_SAMPLE, Algorithm.TEXTBOOK))
        .isEqualTo(
            "('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:', 2.916666666666666)");
  }

  @Test
  void printsJsonWithAnIntegerCountAndTheRejects() {
    assertThat(LabFormat.json(LAB_SAMPLE, 3, Algorithm.STABLE))
        .isEqualTo(
            "{\"sum_x_square\":182.0,\"sum_x\":42.0,\"n\":12,\"var\":2.9166666666666665,"
                + "\"rejected\":3}");
  }

  @Test
  void printsTheVarianceOfNoValuesAsNanInTheTupleAndNullInJson() {
    assertThat(LabFormat.tuple(Stats.empty(), Algorithm.STABLE))
        .isEqualTo("('sum_x_square:', 0.0, 'sum_x:', 0.0, 'n:', 0.0, 'var:', nan)");
    assertThat(LabFormat.json(Stats.empty(), 0, Algorithm.STABLE))
        .isEqualTo("{\"sum_x_square\":0.0,\"sum_x\":0.0,\"n\":0,\"var\":null,\"rejected\":0}");
  }

  @Test
  void printsAnOverflowAsInfInTheTupleAndAsTheStringInfinityInJson() {
    Stats overflow = Stats.of(1e200, 2e200, 3);
    assertThat(LabFormat.tuple(overflow, Algorithm.STABLE))
        .isEqualTo("('sum_x_square:', inf, 'sum_x:', 3e+200, 'n:', 3.0, 'var:', inf)");
    assertThat(LabFormat.json(overflow, 0, Algorithm.STABLE))
        .isEqualTo(
            "{\"sum_x_square\":\"Infinity\",\"sum_x\":3e+200,\"n\":3,\"var\":\"Infinity\","
                + "\"rejected\":0}");
    assertThat(LabFormat.json(Stats.of(-1e308, -1e308), 0, Algorithm.STABLE))
        .startsWith("{\"sum_x_square\":\"Infinity\",\"sum_x\":\"-Infinity\",\"n\":2,\"var\":0.0");
  }

  @Test
  void textbookLosesTheClassicOffsetCaseWhereStableDoesNot() {
    Stats classic = Stats.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16);

    assertThat(Algorithm.STABLE.variance(classic)).isEqualTo(22.5);
    assertThat(Algorithm.TEXTBOOK.variance(classic)).isNotEqualTo(22.5);
    // The textbook formula on the sums this library reports, computed here step by step.
    double n = 4;
    double expected = classic.sumOfSquares() / n - (classic.sum() / n) * (classic.sum() / n);
    assertThat(Algorithm.TEXTBOOK.variance(classic)).isEqualTo(expected);
  }
}
