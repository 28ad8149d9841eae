package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberLineParserTest {

  private final List<Double> accepted = new ArrayList<>();
  private final DoubleConsumer sink = accepted::add;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "7",
        "-7",
        "+7",
        "-0",
        "+0",
        "007",
        "3.25",
        "-3.25",
        "+3.25",
        ".5",
        "-.5",
        "5.",
        "-5.",
        "6.02e23",
        "6.02E23",
        "1e-7",
        "1E+7",
        "-1.5e-3",
        "12345678901234567890",
        "0.1234567890123456789012345",
        "1e-400",
        "4.9e-324",
        "1.7976931348623157e308",
        "1e308",
        "123456789.123456789e-5",
        "0e99999999999",
        "9007199254740993",
        "1e22",
        "1e23",
        "00.00"
      })
  void acceptsEveryNumberFormAsJavaReadsIt(String token) {
    int rejected = NumberLineParser.parse(token, sink);

    assertThat(rejected).isZero();
    assertThat(accepted).containsExactly(Double.parseDouble(token));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e400",
        "-1e400",
        "1.8e308",
        "0x1p3",
        "1_000",
        "1,5",
        "1e",
        "1e+",
        "e5",
        ".",
        "-",
        "+",
        "--1",
        "+-1",
        "1.2.3",
        "2d",
        "2f",
        "1e5.5",
        "1..2",
        "١٢",
        "12abc",
        "abc",
        "\u0000",
        "1\u00a02",
        "x1"
      })
  void rejectsEverythingElse(String token) {
    int rejected = NumberLineParser.parse(token, sink);

    assertThat(rejected).as("rejects of %s", token).isEqualTo(1);
    assertThat(accepted).isEmpty();
  }

  @Test
  void readsTheLabLine() {
    assertThat(NumberLineParser.parse("1 2 3 4 5 6", sink)).isZero();
    assertThat(accepted).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
  }

  @Test
  void separatesOnTabsRunsOfSpacesAndLineEnds() {
    int rejected = NumberLineParser.parse("  1\t\t2   3\r\n4\f5\u000B6 ", sink);

    assertThat(rejected).isZero();
    assertThat(accepted).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
  }

  @Test
  void readsNothingFromEmptyOrBlankLines() {
    assertThat(NumberLineParser.parse("", sink)).isZero();
    assertThat(NumberLineParser.parse("   \t  ", sink)).isZero();
    assertThat(accepted).isEmpty();
  }

  @Test
  void countsEachBadTokenAndKeepsEveryGoodOne() {
    int rejected = NumberLineParser.parse("1 x 2 NaN 3 1e400 4,5 -0 Infinity 6", sink);

    assertThat(rejected).isEqualTo(5);
    assertThat(accepted).containsExactly(1.0, 2.0, 3.0, -0.0, 6.0);
  }

  @Test
  void readsLongLinesCorrectlyRounded() {
    Random random = new Random(42);
    StringBuilder line = new StringBuilder();
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      String token =
          switch (i % 4) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Double.toString(random.nextGaussian() * 1e6);
            case 2 -> String.format("%.6f", random.nextDouble() * 1000);
            default -> Double.toString(Double.longBitsToDouble(random.nextLong() >>> 2));
          };
      line.append(token).append(i % 7 == 0 ? "\t" : " ");
      expected.add(Double.parseDouble(token));
    }

    int rejected = NumberLineParser.parse(line, sink);

    assertThat(rejected).isZero();
    assertThat(accepted).isEqualTo(expected);
  }

  @Test
  void matchesJavaOnRandomDecimalStrings() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder token = new StringBuilder();
      if (random.nextBoolean()) {
        token.append(random.nextBoolean() ? '-' : '+');
      }
      int digits = 1 + random.nextInt(25);
      int point = random.nextInt(digits + 1);
      for (int d = 0; d < digits; d++) {
        if (d == point) {
          token.append('.');
        }
        token.append((char) ('0' + random.nextInt(10)));
      }
      if (random.nextBoolean()) {
        token.append('e').append(random.nextInt(700) - 350);
      }
      String text = token.toString();
      double expected = Double.parseDouble(text);
      accepted.clear();

      int rejected = NumberLineParser.parse(text, sink);

      if (Double.isInfinite(expected)) {
        assertThat(rejected).as(text).isEqualTo(1);
      } else {
        assertThat(accepted).as(text).containsExactly(expected);
      }
    }
  }
}
