package dev.streamlab.testkit;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.LineServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** What the jobs' tests share: a socket fed in the background, and the text files a job saved. */
public final class Feeds {

  private Feeds() {}

  /** Serves {@code lines} at {@code rate} a second on {@code server} until {@code stop}. */
  public static Thread serveInBackground(
      LineServer server, Iterator<String> lines, double rate, StopSignal stop) {
    Thread serving =
        new Thread(
            () -> {
              try {
                server.serve(lines, rate, stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "test-line-server");
    serving.start();
    return serving;
  }

  /** Serves {@code lines} at {@code rate} a second on {@code server}, in a started thread. */
  public static Thread serveInBackground(LineServer server, List<String> lines, double rate) {
    return serveInBackground(server, lines.iterator(), rate, StopSignal.trap());
  }

  /** The lines of every {@code part-*} file under {@code root}, as saveAsTextFiles writes them. */
  public static List<String> savedLines(Path root) throws IOException {
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
