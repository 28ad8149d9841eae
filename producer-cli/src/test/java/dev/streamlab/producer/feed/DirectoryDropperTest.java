package dev.streamlab.producer.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.ProducerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDropperTest {

  @TempDir Path work;

  @Test
  void dropsEachCopyUnderAFreshNameWithTheCurrentTimeAndNothingHalfWritten() throws IOException {
    Path source = Files.writeString(work.resolve("words.txt"), "hello streaming world\n");
    Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.from(Instant.EPOCH));
    Path watched = work.resolve("watched");
    DirectoryDropper dropper = new DirectoryDropper(watched);

    Path first = dropper.drop(source);
    Path second = dropper.drop(source);

    assertThat(first).isNotEqualTo(second);
    assertThat(List.of(first, second))
        .allSatisfy(
            dropped -> {
              assertThat(dropped.getParent()).isEqualTo(watched);
              assertThat(dropped.getFileName().toString()).startsWith("words-").endsWith(".txt");
              assertThat(Files.readString(dropped)).isEqualTo("hello streaming world\n");
              assertThat(Files.getLastModifiedTime(dropped).toInstant())
                  .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
            });
    try (Stream<Path> files = Files.list(watched)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void theCommandDropsEveryFileAndAMissingOneFailsFirst() throws IOException {
    Path a = Files.writeString(work.resolve("a.txt"), "a\n");
    Path b = Files.writeString(work.resolve("b.txt"), "b\n");
    Path watched = work.resolve("in");

    StringWriter out = new StringWriter();
    picocli.CommandLine ok = ProducerCli.commandLine(System.in);
    ok.setOut(new PrintWriter(out, true));
    int exit =
        ok.execute(
            "drop", "--dir", watched.toString(), "--every", "10ms", a.toString(), b.toString());

    assertThat(exit).isZero();
    assertThat(out.toString().lines()).hasSize(2);
    try (Stream<Path> files = Files.list(watched)) {
      assertThat(files).hasSize(2);
    }

    StringWriter err = new StringWriter();
    picocli.CommandLine missing = ProducerCli.commandLine(System.in);
    missing.setErr(new PrintWriter(err, true));
    Path nowhere = work.resolve("nowhere.txt");
    assertThat(
            missing.execute("drop", "--dir", watched.toString(), a.toString(), nowhere.toString()))
        .isEqualTo(1);
    assertThat(err.toString().strip()).isEqualTo("producer-cli drop: no such file: " + nowhere);
  }
}
