package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.testkit.Feeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket server of a running {@code lab-cli run uppercase --socket} goes away and comes back on
 * the same port: the job warns, reconnects, and prints every line of both servers once.
 */
class SocketLossIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theJobReconnectsWhenItsServerComesBack() throws Exception {
    List<String> before = lines("before");
    List<String> after = lines("after");
    LineServer first = new LineServer("127.0.0.1", 0);
    int port = first.port();
    String address = "127.0.0.1:" + port;
    try (JobProcess job =
        JobProcess.labCli(
            dir, "run", "uppercase", "--socket", address, "--batch", "1s", "--format", "json")) {
      Thread serving = Feeds.serveInBackground(first, before, 20);
      job.awaitLine(line -> line.contains("BEFORE 30"), WAIT);
      first.close();
      serving.join(5_000);

      job.awaitErr("warning: socket source " + address + " is gone", WAIT);
      try (LineServer second = new LineServer("127.0.0.1", port)) {
        serving = Feeds.serveInBackground(second, after, 20);
        job.awaitLine(line -> line.contains("AFTER 30"), WAIT);
        job.awaitErr("socket source " + address + " is back: lines are arriving again", WAIT);
        job.signal("TERM");
        assertThat(job.awaitExit(Duration.ofSeconds(30))).as(job.err()).isZero();
        serving.join(5_000);
      }

      List<String> expected = new ArrayList<>();
      before.forEach(line -> expected.add(line.toUpperCase()));
      after.forEach(line -> expected.add(line.toUpperCase()));
      assertThat(printed(job)).containsExactlyElementsOf(expected);
      assertThat(job.err()).doesNotContain("Exception").doesNotContain("ERROR");
    }
  }

  private static List<String> lines(String prefix) {
    return IntStream.rangeClosed(1, 30).mapToObj(i -> prefix + " " + i).toList();
  }

  private static List<String> printed(JobProcess job) {
    List<String> lines = new ArrayList<>();
    for (String report : job.outLines()) {
      LabJson.read(report).get("lines").forEach((JsonNode line) -> lines.add(line.asText()));
    }
    return lines;
  }
}
