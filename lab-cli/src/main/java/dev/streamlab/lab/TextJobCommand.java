package dev.streamlab.lab;

import dev.streamlab.jobs.LineStreams;
import dev.streamlab.jobs.SparkSettings;
import dev.streamlab.producer.DirectoryDropper;
import dev.streamlab.producer.StopSignal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A lab job that turns lines into lines ({@code run uppercase}, {@code run long-words}): the source
 * options, an embedded feeder when none is given, and printing each batch like PySpark's {@code
 * pprint}.
 */
abstract class TextJobCommand implements Callable<Integer> {

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  static final class Source {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Read the files moved into DIR after the start (textFileStream).")
    Path dir;

    @Option(
        names = "--socket",
        paramLabel = "HOST:PORT",
        description = "Read lines from a TCP server (socketTextStream), e.g. 'producer-cli serve'.")
    String socket;

    @Option(names = "--kafka", paramLabel = "TOPIC", description = "Read a Kafka topic.")
    String kafkaTopic;
  }

  @ArgGroup(exclusive = true)
  Source source = new Source();

  @Option(
      names = "--bootstrap-server",
      defaultValue = "localhost:9092",
      paramLabel = "HOST:PORT",
      description = "Kafka of --kafka. Default: ${DEFAULT-VALUE}.")
  String bootstrapServer;

  @Mixin JobOptions job;

  /** This job's pipeline. */
  abstract JavaDStream<String> pipeline(JavaDStream<String> lines);

  @Override
  public Integer call() throws Exception {
    if (source.socket != null && !source.socket.matches(".+:\\d{1,5}")) {
      throw new ParameterException(
          spec.commandLine(), "--socket takes HOST:PORT, was '" + source.socket + "'");
    }
    StopSignal stop = StopSignal.trap();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path scratch = Files.createTempDirectory("lab-cli-" + spec.name() + "-");
    Thread feeder = null;
    JavaStreamingContext context =
        new JavaStreamingContext(SparkSettings.conf(spec.name(), job.master()), job.sparkBatch());
    try {
      JavaDStream<String> lines;
      if (source.socket != null) {
        int colon = source.socket.lastIndexOf(':');
        lines =
            LineStreams.socket(
                context,
                source.socket.substring(0, colon),
                Integer.parseInt(source.socket.substring(colon + 1)));
      } else if (source.kafkaTopic != null) {
        lines = LineStreams.kafka(context, bootstrapServer, source.kafkaTopic, false);
      } else {
        Path dir = source.dir != null ? source.dir : scratch.resolve("watched");
        Files.createDirectories(dir);
        lines = LineStreams.directory(context, dir);
        if (source.dir == null) {
          feeder = sampleFeeder(dir, scratch, stop);
          err.println("Watching " + dir + "; dropping the sample text into it every 2s");
          err.flush();
        }
      }
      pipeline(lines)
          .foreachRDD(
              (rdd, time) -> {
                List<String> batchLines = rdd.collect();
                if (!batchLines.isEmpty()) {
                  print(out, time.milliseconds(), batchLines);
                }
              });
      context.start();
      if (feeder != null) {
        feeder.start();
      }
      job.awaitEnd(context, stop);
      return 0;
    } finally {
      stop.request();
      if (feeder != null) {
        feeder.join(5_000);
      }
      context.stop(true, true);
      deleteRecursively(scratch);
    }
  }

  private static void print(PrintWriter out, long timeMillis, List<String> lines) {
    out.println("-------------------------------------------");
    out.println("Time: " + LOCAL_TIME.format(Instant.ofEpochMilli(timeMillis)));
    out.println("-------------------------------------------");
    lines.forEach(out::println);
    out.println();
    out.flush();
  }

  /** Drops the built-in sample text into {@code dir} every 2 s, as the lab's 'cp words' did. */
  private static Thread sampleFeeder(Path dir, Path scratch, StopSignal stop) throws IOException {
    Path sample = scratch.resolve("sample-text.txt");
    try (InputStream in = TextJobCommand.class.getResourceAsStream("/sample-text.txt")) {
      Files.copy(Objects.requireNonNull(in, "sample-text.txt"), sample);
    }
    DirectoryDropper dropper = new DirectoryDropper(dir);
    Thread feeder =
        new Thread(
            () -> {
              try {
                while (!stop.await(Duration.ofSeconds(2))) {
                  dropper.drop(sample);
                }
              } catch (IOException | InterruptedException e) {
                // Stopping: the job's own stop reports what matters.
              }
            },
            "lab-cli-dropper");
    feeder.setDaemon(true);
    return feeder;
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
