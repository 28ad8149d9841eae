package dev.streamlab.lab.run;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.DirectoryDropper;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.producer.feed.RsvpGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The data a {@code run} command feeds its job when no source is given, as the lab's own steps did:
 * each a body for {@link JobRunner#feedAfterStart}, ending on the run's stop signal.
 */
public final class SampleFeeds {

  /** The lines {@code curl -i} printed before the Meetup stream's JSON: not RSVPs. */
  public static final List<String> HTTP_HEADER =
      List.of(
          "HTTP/1.1 200 OK",
          "Content-Type: application/json",
          "Transfer-Encoding: chunked",
          "Connection: keep-alive",
          "");

  private SampleFeeds() {}

  /**
   * Drops the built-in sample text into {@code dir} every 2 s, as the lab's 'cp words' did; the
   * text is copied to {@code scratch} first.
   */
  static Runnable sampleText(Path dir, Path scratch, StopSignal stop) throws IOException {
    Path sample = scratch.resolve("sample-text.txt");
    try (InputStream in = SampleFeeds.class.getResourceAsStream("/sample-text.txt")) {
      Files.copy(Objects.requireNonNull(in, "sample-text.txt"), sample);
    }
    DirectoryDropper dropper = new DirectoryDropper(dir);
    return () -> {
      try {
        while (!stop.await(Duration.ofSeconds(2))) {
          dropper.drop(sample);
        }
      } catch (IOException | InterruptedException e) {
        // Stopping: the job's own stop reports what matters.
      }
    };
  }

  /** Serves an HTTP header, as 'curl -i' printed, then generated RSVPs, 4 a second. */
  static Runnable rsvps(LineServer server, StopSignal stop) {
    RsvpGenerator generator = new RsvpGenerator(System.nanoTime());
    Iterator<String> lines =
        Stream.concat(HTTP_HEADER.stream(), Stream.generate(() -> generator.next().json()))
            .iterator();
    return () -> {
      try {
        server.serve(lines, 4, stop);
      } catch (InterruptedException e) {
        // Stopping.
      }
    };
  }

  /** Sends the lab's line every 2 s, or the lines of {@code file} once, with {@code sender}. */
  static Runnable numbers(LineSender sender, Path file, StopSignal stop) {
    return () -> {
      Duration interval = file != null ? Duration.ZERO : Duration.ofSeconds(2);
      try (LineSource lines =
          file != null
              ? LineSource.files(List.of(file.toString()), InputStream.nullInputStream(), false)
              : LineSource.repeating(LineSender.LAB_LINE)) {
        sender.sendAllBytes(lines, interval, Long.MAX_VALUE, stop::requested, (line, sent) -> {});
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
