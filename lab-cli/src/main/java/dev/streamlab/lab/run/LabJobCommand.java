package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.kafka.DataLossException;
import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.producer.cli.BootstrapServersConverter;
import dev.streamlab.producer.cli.TopicConverter;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A job of the Spark Streaming lab ({@code run uppercase}, {@code venues}, …): the source options,
 * an embedded feeder when none is given, the checkpoint, and the run ({@link JobRunner}) until
 * Ctrl-C or {@code --duration}. Subclasses start their job of stream-jobs with its printer.
 */
abstract class LabJobCommand implements Callable<Integer> {

  /** The sample data a job is fed when no source is given. */
  enum Feed {
    /** The sample text dropped into a watched directory every 2 s, as the lab's 'cp words'. */
    SAMPLE_TEXT,
    /** Generated RSVPs served on a local socket, 4 a second, after an HTTP header. */
    RSVPS
  }

  @Spec CommandSpec spec;

  static final class SourceOptions {
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
  SourceOptions source = new SourceOptions();

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

  @Mixin RunOptions run;

  /** The sample data this job is fed when no source is given. */
  abstract Feed feed();

  /** Whether the job keeps state and so always needs a checkpoint (a temporary one by default). */
  boolean needsCheckpoint() {
    return false;
  }

  /** Checks the job's own options, before anything starts. */
  void validate() {}

  /** The job's context on {@code settings}, its reports printed to {@code out}. */
  abstract JobContext getOrCreate(JobSettings settings, JobRunner runner, PrintWriter out);

  /** A one-line summary of the run for standard error, or null. */
  String summary() {
    return null;
  }

  @Override
  public Integer call() throws Exception {
    if (source.socket != null && !source.socket.matches(".+:\\d{1,5}")) {
      throw usage("--socket takes HOST:PORT, was '" + source.socket + "'");
    }
    if (checkpoint != null && checkpoint.isBlank()) {
      throw usage("--checkpoint is empty: give a directory, a path or a Hadoop URI");
    }
    boolean fed = source.dir == null && source.socket == null && source.kafkaTopic == null;
    if (checkpoint != null && fed) {
      throw usage(
          "--checkpoint resumes a job on the same source: give --dir, --socket or --kafka too (the"
              + " embedded feeder is new on every run)");
    }
    validate();
    kafkaClient.validate(spec, source.kafkaTopic != null ? bootstrapServer : null);
    job.applySparkSettings(spec);
    run.applySparkSettings(spec);
    try (JobRunner runner = JobRunner.open(spec, job, run)) {
      PrintWriter err = runner.err();
      Source lines = fed ? feed(runner) : given();
      String checkpointDir =
          checkpoint != null
              ? checkpoint
              : needsCheckpoint() ? runner.scratch().resolve("checkpoint").toString() : null;
      err.flush();
      JobSettings settings =
          JobSettings.of(lines)
              .batch(job.batch())
              .master(job.master())
              .checkpointDir(checkpointDir)
              .kafkaNotices(lines instanceof Source.Kafka ? runner.kafkaNotices() : null);
      JobContext context;
      try {
        context = runner.context(() -> getOrCreate(settings, runner, spec.commandLine().getOut()));
        runner.run(context, settings);
      } catch (DataLossException e) {
        throw runner.dataLoss(e, settings);
      }
      String summary = summary();
      if (summary != null) {
        err.println(summary);
      }
      if (context.emptyRecords() > 0) {
        err.println(
            "Kafka records without a value, or with an empty one, read as empty lines: "
                + context.emptyRecords());
      }
      return 0;
    }
  }

  /** The source the options give. */
  private Source given() {
    if (source.kafkaTopic != null) {
      return Source.kafka(
          kafkaClient.applyTo(KafkaSource.of(bootstrapServer, source.kafkaTopic), spec));
    }
    if (source.socket != null) {
      int colon = source.socket.lastIndexOf(':');
      return Source.socket(
          source.socket.substring(0, colon), Integer.parseInt(source.socket.substring(colon + 1)));
    }
    return Source.directory(source.dir);
  }

  /** Starts the embedded feeder of this job's sample data; the source it feeds. */
  private Source feed(JobRunner runner) throws Exception {
    if (feed() == Feed.SAMPLE_TEXT) {
      Path watched = Files.createDirectories(runner.scratch().resolve("watched"));
      runner.feedAfterStart(SampleFeeds.sampleText(watched, runner.scratch(), runner.stop()));
      runner.err().println("Watching " + watched + "; dropping the sample text into it every 2s");
      return Source.directory(watched.toString());
    }
    LineServer server = runner.closeAtEnd(new LineServer("127.0.0.1", 0));
    runner.feedAfterStart(SampleFeeds.rsvps(server, runner.stop()));
    runner
        .err()
        .println(
            "Serving generated Meetup RSVPs on 127.0.0.1:"
                + server.port()
                + ", 4 a second, after an HTTP header (skipped and counted)");
    return Source.socket("127.0.0.1", server.port());
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
