package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README shows the library example verbatim. The example itself is compiled and run, from a
 * project of its own that depends on variance-core by its coordinates, by {@code mvn verify}
 * ({@code src/it/consumer}, maven-invoker-plugin); it fails the build on a wrong result.
 */
class ReadmeExampleTest {

  private static final Path EXAMPLE =
      Path.of("src/it/consumer/src/main/java/example/ReadmeExample.java");

  @Test
  void theReadmeShowsTheExampleVerbatim() throws IOException {
    List<String> source = Files.readAllLines(EXAMPLE);
    List<String> example =
        source
            .subList(
                source.indexOf("    // README example begins") + 1,
                source.indexOf("    // README example ends"))
            .stream()
            .map(line -> line.length() >= 4 ? line.substring(4) : line)
            .toList();

    assertThat(example).hasSizeGreaterThan(10);
    assertThat(Files.readString(Path.of("..", "README.md"))).contains(String.join("\n", example));
  }
}
