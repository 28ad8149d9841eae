package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.RsvpGenerator;
import dev.streamlab.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateful lab jobs on Kafka, each a {@code lab-cli run … --kafka} process of its own, killed
 * with {@code kill -9} at three points while a producer sends, and restarted each time on their
 * checkpoint: {@code word-count} ends with exactly the count of every word sent, {@code
 * window-count} with a window (longer than the whole run) of exactly the lines and venues sent; and
 * no report of any run counts more than was sent. Ten records without a value come first: empty
 * lines to both jobs.
 */
class LabJobCrashIT {

  /** Records without a value sent before the lines: empty lines to the jobs, never fatal. */
  private static final int TOMBSTONES = 10;

  private static final List<String> VOCABULARY =
      IntStream.range(0, 40).mapToObj(i -> "word" + i).toList();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // kept for a look when the test fails
  Path dir;

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @Test
  void wordCountKilledAndRestartedCountsEveryWordOnce() throws Exception {
    Random random = new Random(17);
    Iterator<String> lines =
        Stream.generate(
                () ->
                    IntStream.range(0, 5)
                        .mapToObj(i -> VOCABULARY.get(random.nextInt(VOCABULARY.size())))
                        .collect(Collectors.joining(" ")))
            .iterator();
    List<String> sent = new CopyOnWriteArrayList<>();
    List<JobProcess> runs =
        crashAndRestart(
            "words",
            lines,
            sent::add,
            LabJobCrashIT::words,
            () -> 5L * sent.size(),
            "run",
            "word-count",
            "--top",
            "100");

    Map<String, Long> truth =
        sent.stream()
            .flatMap(line -> Arrays.stream(line.split(" ")))
            .collect(Collectors.groupingBy(word -> word, TreeMap::new, Collectors.counting()));
    List<String> last = runs.get(runs.size() - 1).outLines();
    assertThat(wordCounts(last.get(last.size() - 1))).isEqualTo(truth);
    for (JobProcess run : runs) {
      for (String report : run.outLines()) {
        wordCounts(report)
            .forEach(
                (word, count) ->
                    assertThat(count)
                        .as("no report counts %s more often than it was sent", word)
                        .isLessThanOrEqualTo(truth.get(word)));
      }
    }
  }

  @Test
  void windowCountKilledAndRestartedSkipsNoRecord() throws Exception {
    RsvpGenerator generator = new RsvpGenerator(19);
    List<RsvpGenerator.Rsvp> rsvps = new CopyOnWriteArrayList<>();
    Iterator<String> lines =
        Stream.generate(
                () -> {
                  RsvpGenerator.Rsvp rsvp = generator.next();
                  rsvps.add(rsvp);
                  return rsvp.json();
                })
            .iterator();
    List<String> sent = new CopyOnWriteArrayList<>();
    // A window of 10 minutes, longer than the whole test: the state keeps every batch of every run.
    List<JobProcess> runs =
        crashAndRestart(
            "rsvps",
            lines,
            sent::add,
            report -> json(report).get("window").get("lines").asLong(),
            () -> (long) sent.size() + TOMBSTONES,
            "run",
            "window-count",
            "--batch",
            "1s",
            "--slide",
            "1s",
            "--window",
            "600s");

    long venues = rsvps.subList(0, sent.size()).stream().filter(r -> r.venueJson() != null).count();
    List<String> last = runs.get(runs.size() - 1).outLines();
    JsonNode window = json(last.get(last.size() - 1)).get("window");
    assertThat(window.get("lines").asLong()).isEqualTo(sent.size() + TOMBSTONES);
    assertThat(window.get("venues").asLong()).isEqualTo(venues);
    for (JobProcess run : runs) {
      for (String report : run.outLines()) {
        assertThat(json(report).get("window").get("lines").asLong())
            .as("no report counts a line twice")
            .isLessThanOrEqualTo(sent.size() + TOMBSTONES);
      }
    }
  }

  /**
   * Sends 900 of {@code lines} to {@code topic} in 36 s, while the job of {@code command} runs on
   * it; kills it 3 times, restarts it each time, and lets the last run go on until {@code counted}
   * of its report reaches {@code total} of what was sent; then stops it with SIGTERM. Returns the
   * runs, the last one last.
   */
  private List<JobProcess> crashAndRestart(
      String topic,
      Iterator<String> lines,
      java.util.function.Consumer<String> onSent,
      ToLongFunction<String> counted,
      java.util.function.LongSupplier total,
      String... command)
      throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(command));
    args.addAll(
        List.of(
            "--kafka",
            topic,
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--checkpoint",
            dir.resolve(topic + "-checkpoint").toString(),
            "--format",
            "json"));
    String[] job = args.toArray(String[]::new);
    sendTombstones(topic, TOMBSTONES);
    List<JobProcess> runs = new ArrayList<>();
    try (LineSender sender =
        new LineSender(kafka.bootstrapServers(), topic, Duration.ofSeconds(30))) {
      Thread producer =
          new Thread(
              () -> {
                try {
                  sender.sendAll(
                      lines,
                      Duration.ofMillis(40),
                      900,
                      () -> false,
                      (line, n) -> onSent.accept(line));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "test-producer-" + topic);
      producer.setDaemon(true);

      JobProcess first = start(runs, job);
      producer.start();
      first.awaitLine(line -> counted.applyAsLong(line) > 0, Duration.ofSeconds(90));
      first.kill(); // as soon as it has counted something

      JobProcess second = start(runs, job);
      second.awaitLine(line -> true, Duration.ofSeconds(90));
      second.awaitLine(line -> true, Duration.ofSeconds(30));
      second.kill(); // right after a batch, while its state is being saved

      JobProcess third = start(runs, job);
      third.awaitLine(line -> true, Duration.ofSeconds(90));
      TimeUnit.MILLISECONDS.sleep(500);
      third.kill(); // in the middle of a batch

      producer.join(60_000);
      sender.flush();
      long expected = total.getAsLong();
      assertThat(sender.acknowledgedLines()).as("every line acknowledged").isEqualTo(900);

      JobProcess last = start(runs, job);
      last.awaitLine(line -> counted.applyAsLong(line) == expected, Duration.ofSeconds(120));
      last.signal("TERM");
      assertThat(last.awaitExit(Duration.ofSeconds(60))).as(last.err()).isZero();
      return runs;
    } finally {
      for (JobProcess run : runs) {
        run.close();
      }
    }
  }

  /** Sends {@code count} records without a value, which the jobs read as empty lines. */
  private static void sendTombstones(String topic, int count) {
    Map<String, Object> config =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, null));
      }
      producer.flush();
    }
  }

  private JobProcess start(List<JobProcess> runs, String... command) throws IOException {
    JobProcess run = JobProcess.labCli(dir, command);
    runs.add(run);
    return run;
  }

  private static long words(String report) {
    return json(report).get("words").asLong();
  }

  private static Map<String, Long> wordCounts(String report) {
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode word : json(report).get("top")) {
      counts.put(word.get("word").asText(), word.get("count").asLong());
    }
    return counts;
  }

  private static JsonNode json(String line) {
    return LabJson.read(line);
  }
}
