package dev.streamlab.lab;

import dev.streamlab.producer.LineServer;
import dev.streamlab.producer.StopSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the CLI tests share: a socket fed in the background, and the text files a job saved. */
final class Feeds {

  private Feeds() {}

  /** Serves {@code lines} at {@code rate} a second on {@code server}, in a started thread. */
  static Thread serveInBackground(LineServer server, List<String> lines, double rate) {
    Thread serving =
        new Thread(
            () -> {
              try {
                server.serve(lines.iterator(), rate, StopSignal.trap());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "test-line-server");
    serving.start();
    return serving;
  }

  /** The lines of every {@code part-*} file under {@code root}, as saveAsTextFiles writes them. */
  static List<String> savedLines(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("part-"))
          .flatMap(Feeds::lines)
          .toList();
    }
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
