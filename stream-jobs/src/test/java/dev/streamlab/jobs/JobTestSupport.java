package dev.streamlab.jobs;

import dev.streamlab.producer.LineServer;
import dev.streamlab.producer.StopSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What the job tests share: waiting for output, feeding a socket, reading saved text files. */
final class JobTestSupport {

  private JobTestSupport() {}

  /** Waits until {@code done}, at most 60 s; the test's assertions say what was missing. */
  static void awaitUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Serves {@code lines} at {@code rate} a second on {@code server}, in a started thread. */
  static Thread serveInBackground(
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

  /** The lines of every {@code part-*} file under {@code root}, as saveAsTextFiles writes them. */
  static List<String> savedLines(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("part-"))
          .flatMap(JobTestSupport::lines)
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
