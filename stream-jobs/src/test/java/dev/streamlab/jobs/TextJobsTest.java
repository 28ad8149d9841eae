package dev.streamlab.jobs;

import static dev.streamlab.jobs.JobTestSupport.awaitUntil;
import static dev.streamlab.testkit.Feeds.serveInBackground;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.DirectoryDropper;
import dev.streamlab.producer.feed.LineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's text jobs on a real socket and a real watched directory, Spark in local[2]. */
class TextJobsTest {

  private static final Queue<String> OUTPUT = new ConcurrentLinkedQueue<>();
  private static final List<String> LINES =
      List.of("Spark streaming reads lines", "from a socket or a directory", "élan über naïve");

  @TempDir Path dir;

  private JavaStreamingContext context;

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop(true, false);
    }
    OUTPUT.clear();
  }

  private JavaStreamingContext newContext() {
    context =
        new JavaStreamingContext(
            SparkSettings.conf("text-jobs-test", "local[2]"), Durations.seconds(1));
    return context;
  }

  private static void collect(JavaDStream<String> stream) {
    stream.foreachRDD(rdd -> OUTPUT.addAll(rdd.collect()));
  }

  @Test
  void upperCasesEveryLineFromASocket() throws Exception {
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      JavaStreamingContext context = newContext();
      collect(UppercaseJob.pipeline(LineStreams.socket(context, "127.0.0.1", server.port())));
      context.start();
      Thread serving = serveInBackground(server, LINES.iterator(), 20, StopSignal.trap());

      awaitUntil(() -> OUTPUT.size() >= LINES.size());
      serving.join(10_000);
    }
    assertThat(OUTPUT)
        .containsExactly(
            "SPARK STREAMING READS LINES", "FROM A SOCKET OR A DIRECTORY", "ÉLAN ÜBER NAÏVE");
  }

  @Test
  void keepsOnlyLongWordsOfFilesDroppedIntoADirectory() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Path words = Files.write(dir.resolve("words.txt"), LINES);
    JavaStreamingContext context = newContext();
    collect(LongWordsJob.pipeline(LineStreams.directory(context, watched)));
    context.start();
    TimeUnit.MILLISECONDS.sleep(1500); // files present before the start are not read
    DirectoryDropper dropper = new DirectoryDropper(watched);
    dropper.drop(words);

    awaitUntil(() -> OUTPUT.size() >= 3);
    dropper.drop(words); // the same file again is a new file, read again
    awaitUntil(() -> OUTPUT.size() >= 6);
    TimeUnit.SECONDS.sleep(2); // and nothing more arrives

    assertThat(new ArrayList<>(OUTPUT))
        .containsExactlyInAnyOrder(
            "streaming", "socket", "directory", "streaming", "socket", "directory");
  }
}
