package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonFloatTest {

  /**
   * python-float-repr.csv holds 747 doubles with CPython 3.11's repr of each, written by a seeded
   * script (its header says what it covers): random bit patterns, lab-like decimals, powers of two
   * with their neighbours, powers of ten and edge values.
   */
  @Test
  void printsWhatCPythonPrintsForEveryDoubleOfTheTable() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int rows = 0;
    try (InputStream in = getClass().getResourceAsStream("/python-float-repr.csv");
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(Objects.requireNonNull(in), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        int comma = line.indexOf(',');
        double value = Double.parseDouble(line.substring(0, comma));
        String expected = line.substring(comma + 1);
        rows++;
        String actual = PythonFloat.repr(value);
        if (!actual.equals(expected)) {
          mismatches.add(line.substring(0, comma) + ": expected " + expected + " got " + actual);
        }
      }
    }
    assertThat(rows).isEqualTo(747);
    assertThat(mismatches).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "182.0, 182.0",
    "2.9166666666666665, 2.9166666666666665",
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "-1.5e-7, -1.5e-07",
    "1e22, 1e+22",
    "1e23, 1e+23",
    "5e-324, 5e-324",
  })
  void followsPythonsLayoutRules(double value, String expected) {
    assertThat(PythonFloat.repr(value)).isEqualTo(expected);
  }

  @Test
  void namesTheSpecialValuesLikePython() {
    assertThat(PythonFloat.repr(Double.NaN)).isEqualTo("nan");
    assertThat(PythonFloat.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(PythonFloat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(PythonFloat.repr(0.0)).isEqualTo("0.0");
    assertThat(PythonFloat.repr(-0.0)).isEqualTo("-0.0");
  }

  @Test
  void isShorterThanJava17sToStringWhereThatIsNotShortest() {
    // JDK-4511638: Java 17 prints 2.0E-3 fine but 1.0E23 as 1.0E23 and 2.0^-44 with 17 digits
    // where 16 round-trip; Python and this class print the shortest.
    double value = 5.684341886080802e-14;
    assertThat(Double.parseDouble(PythonFloat.repr(value))).isEqualTo(value);
    assertThat(PythonFloat.repr(value)).isEqualTo("5.684341886080802e-14");
  }
}
