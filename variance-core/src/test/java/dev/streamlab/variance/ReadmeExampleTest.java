package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The README's library example, compiled and run; the README must show these lines verbatim. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleWorks() {
    // README example begins
    StatsAccumulator numbers = new StatsAccumulator();
    int rejected = NumberLineParser.parse("1000000004 1000000007 oops 1000000013", numbers);
    Stats morning = numbers.toStats();
    Stats evening = Stats.of(1e9 + 16);
    Stats day = morning.plus(evening); // merging is exact, in any order

    System.out.println(day.variance()); // 22.5 (the textbook formula gives -128 or 0)
    System.out.println(LabFormat.json(day, rejected, Algorithm.STABLE));
    // {"sum_x_square":4.0000000800000005e+18,"sum_x":4000000040.0,"n":4,"var":22.5,"rejected":1}

    Stats fromStream =
        DoubleStream.of(1, 2, 3, 4, 5, 6)
            .parallel()
            .collect(StatsAccumulator::new, StatsAccumulator::accept, StatsAccumulator::combine)
            .toStats();
    // README example ends

    assertThat(rejected).isEqualTo(1);
    assertThat(day.variance()).isEqualTo(22.5);
    assertThat(LabFormat.json(day, rejected, Algorithm.STABLE))
        .isEqualTo(
            "{\"sum_x_square\":4.0000000800000005e+18,\"sum_x\":4000000040.0,\"n\":4,"
                + "\"var\":22.5,\"rejected\":1}");
    assertThat(fromStream.mean()).isEqualTo(3.5);
  }

  @Test
  void theReadmeShowsTheExampleVerbatim() throws IOException {
    Path readme = Path.of("..", "README.md");
    List<String> source =
        Files.readAllLines(Path.of("src/test/java/dev/streamlab/variance/ReadmeExampleTest.java"));
    List<String> example =
        source
            .subList(
                source.indexOf("    // README example begins") + 1,
                source.indexOf("    // README example ends"))
            .stream()
            .map(line -> line.length() >= 4 ? line.substring(4) : line)
            .toList();

    assertThat(Files.readString(readme)).contains(String.join("\n", example));
  }
}
