package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatsTest {

  private static final double MAX_RELATIVE_ERROR = 1e-13;
  private static final double MAX_SUM_ULPS = 2;

  static Stream<Samples> offsetData() {
    return Samples.offsetData();
  }

  static Stream<Samples> allData() {
    return Stream.concat(
        Samples.offsetData(),
        Stream.of(Samples.mixedMagnitudes(7, 10_000), Samples.mixedMagnitudes(8, 3)));
  }

  @ParameterizedTest
  @MethodSource("allData")
  void matchesTheExactOracle(Samples data) {
    assertMatchesOracle(Stats.of(data.values()), data.values(), data.toString());
  }

  @ParameterizedTest
  @MethodSource("offsetData")
  void emptyIsAnIdentityOnBothSides(Samples data) {
    Stats x = Stats.of(data.values());

    assertThat(Stats.empty().plus(x)).isEqualTo(x);
    assertThat(x.plus(Stats.empty())).isEqualTo(x);
    assertMatchesOracle(Stats.empty().plus(x), data.values(), data.toString());
  }

  @ParameterizedTest
  @MethodSource("offsetData")
  void mergingWithItselfCountsEveryValueTwice(Samples data) {
    Stats x = Stats.of(data.values());
    double[] twice = DoubleStream.concat(stream(data), stream(data)).toArray();

    assertMatchesOracle(x.plus(x), twice, data.toString());
  }

  @ParameterizedTest
  @MethodSource("offsetData")
  void mergingIsSymmetric(Samples data) {
    double[] values = data.values();
    int cut = values.length / 3;
    Stats a = Stats.of(Arrays.copyOfRange(values, 0, cut));
    Stats b = Stats.of(Arrays.copyOfRange(values, cut, values.length));

    assertThat(a.plus(b)).isEqualTo(b.plus(a));
    assertThat(a.plus(b).hashCode()).isEqualTo(b.plus(a).hashCode());
    assertMatchesOracle(b.plus(a), values, data.toString());
  }

  @ParameterizedTest
  @MethodSource("allData")
  void randomSplitsMergedInRandomOrderMatchTheOracle(Samples data) {
    Random random = new Random(data.seed() * 31);
    double[] values = data.values();
    List<Stats> parts = new ArrayList<>();
    int start = 0;
    while (start < values.length) {
      int end = Math.min(values.length, start + 1 + random.nextInt(1 + values.length / 4));
      parts.add(Stats.of(Arrays.copyOfRange(values, start, end)));
      start = end;
    }
    parts.add(Stats.empty());
    while (parts.size() > 1) {
      Collections.shuffle(parts, random);
      Stats merged = parts.remove(parts.size() - 1).plus(parts.remove(parts.size() - 1));
      parts.add(merged);
    }

    assertMatchesOracle(parts.get(0), values, data.toString());
  }

  @ParameterizedTest
  @MethodSource("allData")
  void parallelStreamCollectionMatchesTheOracle(Samples data) {
    Stats fromDoubleStream =
        stream(data)
            .parallel()
            .collect(StatsAccumulator::new, StatsAccumulator::accept, StatsAccumulator::combine)
            .toStats();
    Stats fromCollector =
        stream(data).boxed().parallel().collect(StatsAccumulator.summarizing(Double::doubleValue));

    assertMatchesOracle(fromDoubleStream, data.values(), data.toString());
    assertMatchesOracle(fromCollector, data.values(), data.toString());
  }

  @Test
  void classicOffsetCaseHasVarianceTwentyTwoAndAHalf() {
    // The textbook formula gives −128 on these when summing naively (DESIGN.md §1).
    Stats stats = Stats.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16);

    assertThat(stats.variance()).isEqualTo(22.5);
    assertThat(stats.sampleVariance()).isEqualTo(30.0);
    assertThat(stats.mean()).isEqualTo(1e9 + 10);
    assertThat(stats.sum()).isEqualTo(4e9 + 40);
  }

  @Test
  void noValuesHaveCountZeroAndNaNMoments() {
    Stats empty = Stats.empty();

    assertThat(empty.count()).isZero();
    assertThat(empty.sum()).isZero();
    assertThat(empty.sumOfSquares()).isZero();
    assertThat(empty.mean()).isNaN();
    assertThat(empty.variance()).isNaN();
    assertThat(empty.sampleVariance()).isNaN();
    assertThat(Stats.of()).isEqualTo(empty);
  }

  @Test
  void oneValueHasVarianceZeroAndNoSampleVariance() {
    Stats one = Stats.of(1e12 + 0.5);

    assertThat(one.count()).isEqualTo(1);
    assertThat(one.mean()).isEqualTo(1e12 + 0.5);
    assertThat(one.variance()).isZero();
    assertThat(one.sampleVariance()).isNaN();
  }

  @Test
  void equalValuesHaveVarianceExactlyZero() {
    double[] values = new double[1000];
    Arrays.fill(values, 0.1);

    assertThat(Stats.of(values).variance()).isZero();
  }

  @Test
  void aSumBeyondTheRangeOfADoubleIsInfiniteAndTheOtherResultsStayExact() {
    Stats twice = Stats.of(1e308, 1e308);
    assertThat(twice.sum()).isEqualTo(Double.POSITIVE_INFINITY); // 2e308, as 1e308 + 1e308 is
    assertThat(twice.sumOfSquares()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(twice.mean()).isEqualTo(1e308);
    assertThat(twice.variance()).isZero();
    assertThat(Stats.of(-1e308, -1e308).sum()).isEqualTo(Double.NEGATIVE_INFINITY);

    // Squares that fit a double, three of them not: 3e308
    Stats squares = Stats.of(1e154, 1e154, 1e154);
    assertThat(squares.sumOfSquares()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(squares.sum()).isEqualTo(3e154);
    assertThat(squares.variance()).isZero();
  }

  @Test
  void squaresBeyondTheRangeOfADoubleMakeTheSumOfSquaresAndTheVarianceInfinite() {
    // The lab's line "1e200 2e200 3": Σx² = 5e400 and var ≈ 2.2e399, both beyond 1.8e308
    Stats stats = Stats.of(1e200, 2e200, 3);
    assertThat(stats.sumOfSquares()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(stats.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(stats.sampleVariance()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(stats.sum()).isEqualTo(3e200);
    assertThat(stats.count()).isEqualTo(3);
    // Merged in any order, and with values of both signs, the same
    assertThat(Stats.of(3).plus(Stats.of(2e200)).plus(Stats.of(1e200))).isEqualTo(stats);
    Stats signs = Stats.of(1e200).plus(Stats.of(-1e200));
    assertThat(signs.sum()).isZero();
    assertThat(signs.sumOfSquares()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(signs.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    // Below 2^511 nothing overflows: still exact
    double big = 0x1p510;
    assertThat(Stats.of(big, -big).variance()).isEqualTo(big * big);
  }

  @Test
  void nonFiniteValuesMakeTheMomentsNaN() {
    assertThat(Stats.of(1, Double.NaN, 3).variance()).isNaN();
    assertThat(Stats.of(Double.POSITIVE_INFINITY, 1).mean()).isNaN();
    assertThat(Stats.of(1, 2).plus(Stats.of(Double.NEGATIVE_INFINITY)).variance()).isNaN();
  }

  @Test
  void sampleVarianceMatchesTheOracle() {
    Samples data = Samples.mixedMagnitudes(11, 2000);
    BigDecimal exact = ExactStats.of(data.values()).sampleVariance();

    assertThat(ExactStats.relativeError(Stats.of(data.values()).sampleVariance(), exact))
        .as(data.toString())
        .isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
  }

  @Test
  void survivesJavaSerialization() throws IOException, ClassNotFoundException {
    Stats stats = Stats.of(1e12 + 1, 1e12 + 2, 1e12 + 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stats);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Stats copy = (Stats) in.readObject();

      assertThat(copy).isEqualTo(stats);
      assertThat(copy.variance()).isEqualTo(stats.variance());
    }
  }

  @Test
  void plusRejectsNull() {
    assertThatThrownBy(() -> Stats.empty().plus(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("other");
  }

  @Test
  void toStringNamesTheStatistics() {
    assertThat(Stats.of(1, 2, 3))
        .hasToString(
            "Stats{count=3, sum=6.0, sumOfSquares=14.0, mean=2.0, variance=0.6666666666666666}");
  }

  private static DoubleStream stream(Samples data) {
    return Arrays.stream(data.values());
  }

  static void assertMatchesOracle(Stats actual, double[] values, String description) {
    ExactStats exact = ExactStats.of(values);
    assertThat(actual.count()).as(description).isEqualTo(values.length);
    assertThat(ExactStats.ulpsFrom(actual.sum(), exact.sum))
        .as("ulps of Σx, %s", description)
        .isLessThanOrEqualTo(MAX_SUM_ULPS);
    assertThat(ExactStats.ulpsFrom(actual.sumOfSquares(), exact.sumOfSquares))
        .as("ulps of Σx², %s", description)
        .isLessThanOrEqualTo(MAX_SUM_ULPS);
    assertThat(ExactStats.relativeError(actual.variance(), exact.variance()))
        .as("relative error of the variance, %s", description)
        .isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
  }
}
