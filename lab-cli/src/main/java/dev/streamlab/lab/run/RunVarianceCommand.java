package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.VarianceJob;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.WindowSettings;
import dev.streamlab.jobs.kafka.DataLossException;
import dev.streamlab.jobs.kafka.KafkaSource;
import dev.streamlab.lab.print.VariancePrinter;
import dev.streamlab.producer.cli.BootstrapServersConverter;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.cli.OutputOptions;
import dev.streamlab.producer.cli.TopicConverter;
import dev.streamlab.producer.feed.EmbeddedKafkaBroker;
import dev.streamlab.producer.feed.LineSender;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab-cli run variance}: the cumulative variance of a Kafka topic, by Spark Streaming, on an
 * embedded broker fed with the lab's data unless {@code --bootstrap-server} names a Kafka.
 */
@Command(
    name = "variance",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the cumulative variance job: Spark Streaming reads lines of numbers from a Kafka"
          + " topic and prints, every slide interval, the statistics of every number since the"
          + " start.",
      "Without --bootstrap-server it starts an embedded Kafka broker and feeds it the lab's"
          + " line '1 2 3 4 5 6' every 2 s (or a file, --feed), so this command alone shows the"
          + " whole lab working. Ctrl-C stops gracefully and prints a final summary."
    })
final class RunVarianceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap-server",
      paramLabel = "HOST:PORT",
      converter = BootstrapServersConverter.class,
      description = "Kafka to read from. Default: an embedded broker, fed by this command.")
  String bootstrapServer;

  @Option(
      names = "--topic",
      defaultValue = "variance",
      converter = TopicConverter.class,
      description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(
      names = "--window",
      defaultValue = "2s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Window of --show-window, a multiple of --batch. Default: ${DEFAULT-VALUE}.")
  Duration window;

  @Option(
      names = "--slide",
      defaultValue = "2s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How often to print, a multiple of --batch. Default: ${DEFAULT-VALUE}.")
  Duration slide;

  @Option(names = "--show-window", description = "Also print the statistics of the last window.")
  boolean showWindow;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description =
          "Checkpoint directory: a job restarted on it continues where it stopped (same Kafka"
              + " needed). Default: a temporary one, deleted at exit.")
  String checkpoint;

  @Option(
      names = "--starting-offsets",
      defaultValue = "earliest",
      paramLabel = "earliest|latest",
      description =
          "Where a new job starts reading: earliest counts what was sent before it started."
              + " Partitions added later are read from their start, offset 0: records already"
              + " deleted from them are a loss (--on-data-loss)."
              + " Default: ${DEFAULT-VALUE}.")
  KafkaSource.StartingOffsets startingOffsets;

  @Option(
      names = "--isolation-level",
      defaultValue = "read_committed",
      paramLabel = "read_committed|read_uncommitted",
      description =
          "Records of transactional producers: read_committed reads those of committed"
              + " transactions once they commit, never those of aborted ones; read_uncommitted"
              + " reads every record at once, aborted ones too. Default: ${DEFAULT-VALUE}.")
  KafkaSource.Isolation isolation;

  @Option(
      names = "--feed",
      paramLabel = "FILE",
      description = "With the embedded broker: send this file's lines instead of the lab's line.")
  Path feed;

  @Mixin KafkaClientOptions kafkaClient;

  @Option(
      names = "--output-topic",
      paramLabel = "NAME",
      description =
          "Also write each report, its JSON object, to the topic NAME of the same Kafka, keyed by"
              + " the job and the batch's time, once the batch is saved, by an idempotent producer."
              + " Each key is written once; a crash between a batch's save and its write loses that"
              + " report from the topic (the next, cumulative, carries on). Default: none.")
  String outputTopic;

  @Mixin JobOptions job;

  @Mixin RunOptions run;

  @Mixin IntakeOptions intake;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    validate();
    job.applySparkSettings(spec);
    run.applySparkSettings(spec);
    intake.applySparkSettings();
    try (JobRunner runner = JobRunner.open(spec, job, run)) {
      PrintWriter err = runner.err();
      String bootstrap = bootstrapServer;
      EmbeddedKafkaBroker.Starting broker = null;
      if (bootstrap == null) {
        // The broker starts while the Spark context does: the job's first look at the topic
        // waits for it.
        broker =
            runner.closeAtEnd(
                EmbeddedKafkaBroker.startInBackground(
                    "127.0.0.1", runner.scratch().resolve("kafka")));
        broker.whenReady(() -> runner.timings().ended("broker"));
        bootstrap = broker.bootstrapServers();
        LineSender sender =
            runner.closeAtEnd(new LineSender(bootstrap, topic, Duration.ofSeconds(10)));
        runner.feedAfterStart(SampleFeeds.numbers(sender, feed, runner.stop()));
        err.println(
            "Embedded Kafka broker at "
                + bootstrap
                + "; feeding topic '"
                + topic
                + "' with "
                + (feed != null ? feed : "'" + LineSender.LAB_LINE + "' every 2s"));
      }
      String checkpointDir =
          checkpoint != null ? checkpoint : runner.scratch().resolve("checkpoint").toString();
      err.flush();
      JobSettings settings =
          JobSettings.of(
                  Source.kafka(
                      kafkaClient.applyTo(
                          new KafkaSource(
                              bootstrap,
                              topic,
                              startingOffsets,
                              isolation,
                              KafkaSource.OnDataLoss.FAIL),
                          spec)))
              .batch(job.batch())
              .master(job.master())
              .checkpointDir(checkpointDir)
              .kafkaNotices(runner.kafkaNotices());
      VariancePrinter printer =
          new VariancePrinter(
              spec.commandLine().getOut(), output.format(), output.algorithm(), showWindow);
      if (outputTopic != null) {
        ReportTopic reports =
            runner.closeAtEnd(
                new ReportTopic(
                    bootstrap,
                    ((Source.Kafka) settings.source()).kafka().consumerProperties(),
                    outputTopic,
                    spec.name(),
                    err));
        printer.watch(reports::write);
      }
      ReportSink<VarianceReport> sink = runner.sink(VarianceReport.class, printer);
      try {
        JobContext context;
        try {
          context =
              runner.context(
                  () ->
                      VarianceJob.getOrCreate(
                          WindowSettings.of(settings).window(window).slide(slide), sink));
        } catch (RuntimeException e) {
          if (broker != null) {
            broker.await(); // a broker that could not start says so, not the job's lookup of it
          }
          throw e;
        }
        runner.run(context, settings);
      } catch (DataLossException e) {
        throw runner.dataLoss(e, settings);
      }
      printer.finish();
      return 0;
    }
  }

  private void validate() throws IOException {
    kafkaClient.validate(spec, bootstrapServer);
    if (outputTopic != null && (outputTopic.isBlank() || outputTopic.equals(topic))) {
      throw new ParameterException(
          spec.commandLine(),
          "--output-topic takes a topic's name, not the one the job reads ('" + topic + "')");
    }
    job.requireMultipleOfBatch(spec, "--window", window);
    job.requireMultipleOfBatch(spec, "--slide", slide);
    if (bootstrapServer == null && !EmbeddedKafkaBroker.available()) {
      throw new ParameterException(
          spec.commandLine(),
          "this build has no embedded Kafka broker (the spark-submit job jar leaves it out): give"
              + " --bootstrap-server");
    }
    if (checkpoint != null && checkpoint.isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "--checkpoint is empty: give a directory, a path or a Hadoop URI");
    }
    if (checkpoint != null && bootstrapServer == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--checkpoint resumes a job on the same Kafka: give --bootstrap-server too (the"
              + " embedded broker is new on every run)");
    }
    if (feed != null && bootstrapServer != null) {
      throw new ParameterException(
          spec.commandLine(), "--feed feeds the embedded broker: leave out --bootstrap-server");
    }
    if (feed != null) {
      Files.newInputStream(feed).close(); // a missing file fails now, with its name
    }
  }
}
