package dev.streamlab.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.Checkpoints;
import dev.streamlab.jobs.KafkaInput;
import dev.streamlab.jobs.KafkaSource;
import dev.streamlab.jobs.LineStreams;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.SparkSettings;
import dev.streamlab.producer.BootstrapServersConverter;
import dev.streamlab.producer.DataDirectories;
import dev.streamlab.producer.DirectoryDropper;
import dev.streamlab.producer.LineServer;
import dev.streamlab.producer.RsvpGenerator;
import dev.streamlab.producer.StopSignal;
import dev.streamlab.producer.TopicConverter;
import dev.streamlab.variance.LabFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A job of the Spark Streaming lab ({@code run uppercase}, {@code venues}, …): the source options,
 * an embedded feeder when none is given, the checkpoint, and the run until Ctrl-C or {@code
 * --duration}. Subclasses build the pipeline and print its reports.
 *
 * <p>The pipeline sends its reports to a {@link ReportSinks sink} by name, so that a checkpointed
 * job holds no printer; the sink is registered before the job starts, also after a recovery.
 */
abstract class LabJobCommand implements Callable<Integer> {

  /** The lines {@code curl -i} printed before the Meetup stream's JSON: not RSVPs. */
  static final List<String> HTTP_HEADER =
      List.of(
          "HTTP/1.1 200 OK",
          "Content-Type: application/json",
          "Transfer-Encoding: chunked",
          "Connection: keep-alive",
          "");

  static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the handler that ignores a stopped receiver's interrupted restart is installed. */
  private static final AtomicBoolean RECEIVER_INTERRUPTS_IGNORED = new AtomicBoolean();

  /** The sample data a job is fed when no source is given. */
  enum Feed {
    /** The sample text dropped into a watched directory every 2 s, as the lab's 'cp words'. */
    SAMPLE_TEXT,
    /** Generated RSVPs served on a local socket, 4 a second, after an HTTP header. */
    RSVPS
  }

  @Spec CommandSpec spec;

  static final class Source {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Read the files moved into DIR after the start (textFileStream); a path or a Hadoop"
                + " URI.")
    String dir;

    @Option(
        names = "--socket",
        paramLabel = "HOST:PORT",
        description = "Read lines from a TCP server (socketTextStream), e.g. 'producer-cli serve'.")
    String socket;

    @Option(
        names = "--kafka",
        paramLabel = "TOPIC",
        converter = TopicConverter.class,
        description = "Read a Kafka topic.")
    String kafkaTopic;
  }

  @ArgGroup(exclusive = true)
  Source source = new Source();

  @Option(
      names = "--bootstrap-server",
      defaultValue = "localhost:9092",
      paramLabel = "HOST:PORT",
      converter = BootstrapServersConverter.class,
      description = "Kafka of --kafka. Default: ${DEFAULT-VALUE}.")
  String bootstrapServer;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description =
          "Checkpoint directory, a path or a Hadoop URI: a job restarted on it continues where it"
              + " stopped (needs --dir, --socket or --kafka, the same as before).")
  String checkpoint;

  @Option(
      names = "--format",
      defaultValue = "tuple",
      paramLabel = "tuple|json",
      description =
          "tuple: each batch under a header, as the lab's pprint; json: one object per batch."
              + " Default: ${DEFAULT-VALUE}.")
  LabFormat format;

  @Mixin KafkaClientOptions kafkaClient;

  @Mixin JobOptions job;

  private KafkaInput kafkaInput; // the job's input when it reads Kafka

  /** The sample data this job is fed when no source is given. */
  abstract Feed feed();

  /** Whether the job keeps state and so always needs a checkpoint (a temporary one by default). */
  boolean needsCheckpoint() {
    return false;
  }

  /** Checks the job's own options, before anything starts. */
  void validate() {}

  /** Builds the job's pipeline on {@code lines}, sending its reports to the sink {@code sink}. */
  abstract void build(JavaDStream<String> lines, String sink);

  /**
   * Builds the job's pipeline on a Kafka topic, whose offsets (and the job's state) are saved in
   * the checkpoint directory, if any. By default the pipeline of {@link #build} on its lines, the
   * offsets saved after each batch's output; a job that keeps state keeps it with them instead.
   */
  void build(KafkaInput input, String sink) {
    build(input.lines(), sink);
    input.saveOffsetsAfterEachBatch();
  }

  /** Registers the printer of the job's reports under {@code sink}. */
  abstract void register(String sink, PrintWriter out);

  /** A one-line summary of the run for standard error, or null. */
  String summary() {
    return null;
  }

  @Override
  public Integer call() throws Exception {
    if (source.socket != null && !source.socket.matches(".+:\\d{1,5}")) {
      throw usage("--socket takes HOST:PORT, was '" + source.socket + "'");
    }
    boolean fed = source.dir == null && source.socket == null && source.kafkaTopic == null;
    if (checkpoint != null && fed) {
      throw usage(
          "--checkpoint resumes a job on the same source: give --dir, --socket or --kafka too (the"
              + " embedded feeder is new on every run)");
    }
    validate();
    kafkaClient.validate(spec);
    job.applySparkSettings(spec);
    StopSignal stop = StopSignal.trap();
    PrintWriter err = spec.commandLine().getErr();
    String sink = "lab-cli-" + spec.name();
    Path scratch = Files.createTempDirectory("lab-cli-" + spec.name() + "-");
    Thread feeder = null;
    LineServer server = null;
    try {
      String dir = source.dir != null ? Checkpoints.location(source.dir) : null;
      String socket = source.socket;
      if (fed && feed() == Feed.SAMPLE_TEXT) {
        Path watched = Files.createDirectories(scratch.resolve("watched"));
        dir = watched.toString();
        feeder = sampleTextFeeder(watched, scratch, stop);
        err.println("Watching " + dir + "; dropping the sample text into it every 2s");
      } else if (fed) {
        server = new LineServer("127.0.0.1", 0);
        socket = "127.0.0.1:" + server.port();
        feeder = rsvpFeeder(server, stop);
        err.println(
            "Serving generated Meetup RSVPs on "
                + socket
                + ", 4 a second, after an HTTP header (skipped and counted)");
      }
      String checkpointDir =
          checkpoint != null
              ? Checkpoints.location(checkpoint)
              : needsCheckpoint() ? scratch.resolve("checkpoint").toString() : null;
      err.flush();

      register(sink, spec.commandLine().getOut());
      String watched = dir;
      String address = socket;
      JavaStreamingContext context =
          checkpointDir == null
              ? create(watched, address, null, sink)
              : Checkpoints.getOrCreate(
                  checkpointDir, spec.name(), () -> create(watched, address, checkpointDir, sink));
      SocketWatch socketWatch = socket != null ? new SocketWatch(socket, err) : null;
      if (socketWatch != null) {
        context.addStreamingListener(socketWatch);
      }
      try (KafkaWatch kafkaWatch =
          source.kafkaTopic != null ? KafkaWatch.start(bootstrapServer, err) : null) {
        try {
          context.start();
          if (feeder != null) {
            feeder.start();
          }
          // Ctrl-C, SIGTERM or --duration, after the batch that holds what came until then; a
          // failed job throws
          job.awaitEnd(
              context, stop, err, kafkaWatch, source.kafkaTopic == null ? checkpointDir : null);
        } finally {
          if (socketWatch != null) {
            socketWatch.stopping();
          }
          stop(context);
        }
      }
      String summary = summary();
      if (summary != null) {
        err.println(summary);
      }
      if (kafkaInput != null && kafkaInput.emptyRecords() > 0) {
        err.println(
            "Kafka records without a value, or with an empty one, read as empty lines: "
                + kafkaInput.emptyRecords());
      }
      return 0;
    } finally {
      stop.request();
      if (feeder != null) {
        feeder.join(5_000);
      }
      if (server != null) {
        server.close();
      }
      ReportSinks.unregister(sink);
      DataDirectories.deleteRecursively(scratch);
    }
  }

  private JavaStreamingContext create(String dir, String socket, String checkpointDir, String sink)
      throws IOException {
    JavaStreamingContext context =
        new JavaStreamingContext(SparkSettings.conf(spec.name(), job.master()), job.sparkBatch());
    try {
      if (source.kafkaTopic != null) {
        // Offsets and state go to the job's own file: Spark's checkpoint of a Kafka stream races.
        kafkaInput =
            KafkaInput.open(
                context,
                kafkaClient.applyTo(KafkaSource.of(bootstrapServer, source.kafkaTopic), spec),
                checkpointDir);
        build(kafkaInput, sink);
        return context;
      }
      if (checkpointDir != null) {
        context.checkpoint(checkpointDir);
      }
      JavaDStream<String> lines;
      if (socket != null) {
        int colon = socket.lastIndexOf(':');
        lines =
            LineStreams.socket(
                context, socket.substring(0, colon), Integer.parseInt(socket.substring(colon + 1)));
      } else {
        if (source.dir != null && !Checkpoints.hasScheme(dir)) {
          Files.createDirectories(Path.of(dir)); // after the checkpoint: a failed start makes none
        }
        lines = LineStreams.directory(context, dir);
      }
      build(lines, sink);
      return context;
    } catch (RuntimeException | IOException e) {
      context.sparkContext().stop(); // one SparkContext per JVM: none may outlive a failure
      throw e;
    }
  }

  /**
   * Stops {@code context} at once: {@link JobOptions#awaitEnd} has waited for the batches to keep.
   * A receiver (of a socket) complains about its own stop: its socket closes under it, it schedules
   * a restart, and the restart's sleep is interrupted, which ends its thread with an uncaught
   * exception. The receiver's loggers are off (see {@link SocketWatch}); that stack trace is
   * dropped too, unless --verbose.
   */
  private static void stop(JavaStreamingContext context) {
    if (!LogManager.getRootLogger().isInfoEnabled()) {
      if (RECEIVER_INTERRUPTS_IGNORED.compareAndSet(false, true)) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(
            (thread, e) -> {
              if (e instanceof InterruptedException
                  && thread.getName().startsWith("receiver-supervisor-future")) {
                return;
              }
              if (previous != null) {
                previous.uncaughtException(thread, e);
              } else {
                thread.getThreadGroup().uncaughtException(thread, e);
              }
            });
      }
    }
    context.stop(true, false);
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code json} in one line. */
  static String write(ObjectNode json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + json, e);
    }
  }

  /** The batch time as the JSON output writes it (UTC, ISO-8601). */
  static String jsonTime(long timeMillis) {
    return Instant.ofEpochMilli(timeMillis).toString();
  }

  /** Drops the built-in sample text into {@code dir} every 2 s, as the lab's 'cp words' did. */
  private static Thread sampleTextFeeder(Path dir, Path scratch, StopSignal stop)
      throws IOException {
    Path sample = scratch.resolve("sample-text.txt");
    try (InputStream in = LabJobCommand.class.getResourceAsStream("/sample-text.txt")) {
      Files.copy(Objects.requireNonNull(in, "sample-text.txt"), sample);
    }
    DirectoryDropper dropper = new DirectoryDropper(dir);
    return daemon(
        () -> {
          try {
            while (!stop.await(Duration.ofSeconds(2))) {
              dropper.drop(sample);
            }
          } catch (IOException | InterruptedException e) {
            // Stopping: the job's own stop reports what matters.
          }
        });
  }

  /** Serves an HTTP header, as 'curl -i' printed, then generated RSVPs, 4 a second. */
  private static Thread rsvpFeeder(LineServer server, StopSignal stop) {
    RsvpGenerator generator = new RsvpGenerator(System.nanoTime());
    Iterator<String> lines =
        Stream.concat(HTTP_HEADER.stream(), Stream.generate(() -> generator.next().json()))
            .iterator();
    return daemon(
        () -> {
          try {
            server.serve(lines, 4, stop);
          } catch (InterruptedException e) {
            // Stopping.
          }
        });
  }

  private static Thread daemon(Runnable feed) {
    Thread thread = new Thread(feed, "lab-cli-feeder");
    thread.setDaemon(true);
    return thread;
  }
}
