package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {

  @TempDir Path dir;

  @Test
  void printsTheLabTupleOfStandardInput() {
    CommandRun run = CommandRun.of("1 2 3 4 5 6\n1 2 3 4 5 6\n", "stats");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "('sum_x_square:', 182.0, 'sum_x:', 42.0, 'n:', 12.0, 'var:',"
                + " 2.9166666666666665)"
                + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }

  @Test
  void printsTheCoursesDigitsWithTheTextbookAlgorithm() {
    CommandRun run =
        CommandRun.of("1 2 3 4 5 6\n1 2 3 4 5 6\n", "stats", "--algorithm", "textbook");

    assertThat(run.out()).contains("'var:', 2.916666666666666)");
  }

  @Test
  void readsEveryFileAndStandardInputInOrder() throws IOException {
    Random random = new Random(99);
    double[] values = new double[3000];
    StringJoiner first = new StringJoiner("\n");
    StringJoiner second = new StringJoiner(" ");
    for (int i = 0; i < values.length; i++) {
      values[i] = 1e12 + random.nextGaussian();
      (i < 2000 ? first : second).add(Double.toString(values[i]));
    }
    Path a = Files.writeString(dir.resolve("a.txt"), first.toString());
    Path b = Files.writeString(dir.resolve("b.txt"), second.toString() + "\n");

    CommandRun run =
        CommandRun.of("", "stats", "--format", "json", a.toString(), "-", b.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).isEqualTo(LabFormat.json(Stats.of(values), 0, Algorithm.STABLE));
  }

  @Test
  void countsRejectedTokensInJsonAndNotesThemOnStandardErrorForTheTuple() {
    String lines = "1 2 x 3\nNaN 4 1e400\n\n   \t\n5 Infinity 6\n";

    CommandRun json = CommandRun.of(lines, "stats", "--format", "JSON");
    CommandRun tuple = CommandRun.of(lines, "stats");

    String expected = LabFormat.json(Stats.of(1, 2, 3, 4, 5, 6), 4, Algorithm.STABLE);
    assertThat(json.out().strip()).isEqualTo(expected);
    assertThat(json.err()).isEmpty();
    assertThat(tuple.out().strip())
        .isEqualTo(LabFormat.tuple(Stats.of(1, 2, 3, 4, 5, 6), Algorithm.STABLE));
    assertThat(tuple.err())
        .isEqualTo("note: 4 token(s) rejected: not finite numbers" + System.lineSeparator());
  }

  @Test
  void rejectsInvalidUtf8TokensAndKeepsTheGoodOnes() throws IOException {
    byte[] bytes = {'7', ' ', (byte) 0xC3, (byte) 0x28, ' ', '8', '\n', (byte) 0xFF, '9', '\n'};
    Path file = Files.write(dir.resolve("bad-utf8.txt"), bytes);

    CommandRun run = CommandRun.of("", "stats", "--format", "json", file.toString());

    assertThat(run.out().strip()).isEqualTo(LabFormat.json(Stats.of(7, 8), 2, Algorithm.STABLE));
  }

  @Test
  void aMissingFileIsOneLineAndExitCodeOne() {
    String missing = dir.resolve("missing.txt").toString();

    CommandRun run = CommandRun.of("", "stats", missing);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("lab-cli stats: no such file: " + missing + System.lineSeparator());
  }

  @Test
  void aDirectoryIsOneLineAndExitCodeOne() {
    CommandRun run = CommandRun.of("", "stats", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly("lab-cli stats: " + dir + ": is a directory, not a file");
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    CommandRun run = CommandRun.of("", "stats", "--format", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("lab-cli stats: Invalid value for option '--format'")
        .endsWith("(see 'lab-cli stats --help')");
  }

  @Test
  void helpExplainsTheCommand() {
    CommandRun run = CommandRun.of("", "stats", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("ground truth", "--format", "--algorithm", "FILE");
  }
}
