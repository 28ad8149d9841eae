package dev.streamlab.lab.run;

import dev.streamlab.jobs.JobContext;
import dev.streamlab.jobs.JobSettings;
import dev.streamlab.jobs.ReportSink;
import dev.streamlab.jobs.Source;
import dev.streamlab.jobs.checkpoint.CheckpointMismatchException;
import dev.streamlab.jobs.kafka.DataLossException;
import dev.streamlab.jobs.kafka.KafkaNotice;
import dev.streamlab.jobs.kafka.KafkaUnreachableException;
import dev.streamlab.lab.live.BatchEvents;
import dev.streamlab.lab.live.LivePage;
import dev.streamlab.lab.print.ReportPrinter;
import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.kafka.KafkaFailures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * One run of a job by a {@code run} command, from its start to its stop, the same for every job: a
 * scratch directory, the report sink, the feeders of the embedded defaults, the watches of a Kafka
 * or a socket, the live page of {@code --ui}, the wait for Ctrl-C, SIGTERM or {@code --duration},
 * and the stop after the batch that holds everything received until then. Closing it stops the
 * feeders and the page, and deletes what it made.
 *
 * <pre>{@code
 * try (JobRunner runner = JobRunner.open(spec, job, run)) {
 *   JobContext context = SomeJob.getOrCreate(settings, runner.sink(Report.class, printer));
 *   runner.run(context, settings);
 * }
 * }</pre>
 */
public final class JobRunner implements AutoCloseable {

  /** Whether the handler that ignores a stopped receiver's interrupted restart is installed. */
  private static final AtomicBoolean RECEIVER_INTERRUPTS_IGNORED = new AtomicBoolean();

  private final CommandSpec spec;
  private final JobOptions job;
  private final RunOptions run;
  private final Path scratch;
  private final StopSignal stop = StopSignal.trap();
  private final List<Thread> feeders = new ArrayList<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final StartupTimings timings = new StartupTimings();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final LivePage page;
  private ReportSink<?> sink;

  private JobRunner(CommandSpec spec, JobOptions job, RunOptions run, Path scratch, LivePage page) {
    this.spec = spec;
    this.job = job;
    this.run = run;
    this.scratch = scratch;
    this.page = page;
  }

  /**
   * A run of the command of {@code spec}, its scratch directory made, its live page served and its
   * URL printed if {@code --ui} asks for it.
   *
   * @throws IllegalStateException when the page cannot listen: its port taken, its address not this
   *     machine's
   */
  public static JobRunner open(CommandSpec spec, JobOptions job, RunOptions run)
      throws IOException {
    LivePage page = null;
    if (run.uiPort() != null || run.metricsPort() != null) {
      PrintWriter err = spec.commandLine().getErr();
      if (run.uiPort() != null) {
        page = LivePage.start(run.uiHost(), run.uiPort(), spec.name(), job.batch().toMillis());
        err.println("Live page at " + page.url());
      } else {
        page = LivePage.startMetrics(run.uiHost(), run.metricsPort(), spec.name());
        // Off loopback the address carries the token: http://host:port/metrics?token=…
        err.println("Metrics at " + page.url().toString().replaceFirst("/(\\?|$)", "/metrics$1"));
      }
      if (page.needsToken()) {
        err.println(
            "The page asks for the token above, and is plain HTTP: beyond a network you trust,"
                + " serve it through a TLS proxy (see the README's 'The live page off loopback')");
      }
      err.flush();
    }
    try {
      return new JobRunner(
          spec, job, run, Files.createTempDirectory("lab-cli-" + spec.name() + "-"), page);
    } catch (IOException | RuntimeException e) {
      if (page != null) {
        page.close();
      }
      throw e;
    }
  }

  /** A directory of this run's own, deleted when it is closed. */
  public Path scratch() {
    return scratch;
  }

  /** Requested by Ctrl-C or SIGTERM, and when the run ends. */
  public StopSignal stop() {
    return stop;
  }

  /** The start-up's steps so far; the run adds the Spark context's, the start's, the report's. */
  public StartupTimings timings() {
    return timings;
  }

  /** Where the run says what it does: the command's standard error. */
  public PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Opens the job's report sink, handing each report to {@code printer}, which hands what it prints
   * to the live page too; named for the command, so that a job recovered from its checkpoint finds
   * it. Closed with the run.
   */
  public <R> ReportSink<R> sink(Class<R> type, ReportPrinter<? super R> printer) {
    if (page != null) {
      printer.watch(page::report);
    }
    ReportSink<R> opened =
        ReportSink.open(
            "lab-cli-" + spec.name(),
            type,
            report -> {
              printer.accept(report);
              if (reported.compareAndSet(false, true)) {
                timings.ended("first report");
                if (run.timings()) {
                  err().println(timings.line());
                  err().flush();
                }
              }
            });
    sink = opened;
    return opened;
  }

  /**
   * The sink of the Kafka reader's notices (a partition standing still or moving again, a topic
   * counted anew), each printed as one line on standard error with the time, as {@link KafkaWatch}
   * prints the broker's comings and goings. Closed with the run.
   */
  public ReportSink<KafkaNotice> kafkaNotices() {
    ReportSink<KafkaNotice> notices =
        ReportSink.open(
            "lab-cli-" + spec.name() + "-kafka",
            KafkaNotice.class,
            notice -> {
              PrintWriter err = err();
              err.println(
                  LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                      + (notice.warning() ? " warning: " : " ")
                      + notice.line());
              err.flush();
            });
    return closeAtEnd(notices);
  }

  /**
   * The job's context that {@code getOrCreate} makes, a checkpoint that holds another job's state,
   * or another topic's, being a usage error that names the option (exit code 2).
   */
  public JobContext context(java.util.function.Supplier<JobContext> getOrCreate) {
    try {
      return getOrCreate.get();
    } catch (CheckpointMismatchException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, e.option());
    } catch (KafkaUnreachableException e) {
      // A listener spoken to in another protocol leaves the client without an answer: say so.
      throw KafkaFailures.mismatch(e.bootstrapServers(), e.securityProtocol(), e.saslMechanism())
          .map(why -> new IllegalStateException(why, e))
          .orElse(e);
    }
  }

  /**
   * {@code loss} as the command ends on it: what was lost, then what to do about it, the checkpoint
   * the user gave being as it was; or that nothing was kept, when the job had only a temporary one.
   */
  public IllegalStateException dataLoss(DataLossException loss, JobSettings settings) {
    String dir = settings.checkpointDir();
    boolean kept = dir != null && !dir.startsWith(scratch.toString());
    return new IllegalStateException(
        loss.getMessage()
            + (kept
                ? "; the checkpoint in "
                    + dir
                    + " is as it was: "
                    + loss.remedy()
                    + ", or with a new --checkpoint to start over"
                : "; nothing was saved (no --checkpoint)"),
        loss);
  }

  /** Closes {@code resource} when the run is closed, after the feeders, in reverse order. */
  public <T extends AutoCloseable> T closeAtEnd(T resource) {
    resources.push(resource);
    return resource;
  }

  /**
   * Runs {@code feed} in a thread of its own once the job has started; it stops on {@link #stop}.
   */
  public void feedAfterStart(Runnable feed) {
    Thread thread = new Thread(feed, "lab-cli-feeder");
    thread.setDaemon(true);
    feeders.add(thread);
  }

  /**
   * Starts the job and its feeders, waits for Ctrl-C, SIGTERM or {@code --duration}, and stops
   * after the batch that holds everything received until then ({@link JobOptions#awaitEnd}).
   *
   * @throws Exception whatever ended the job, when it failed
   */
  public void run(JobContext context, JobSettings settings) throws Exception {
    timings.ended("Spark context");
    JavaStreamingContext streaming = context.streaming();
    scala.Option<String> ui = streaming.sparkContext().sc().uiWebUrl();
    if (run.sparkUi() && ui.isDefined()) {
      String url = ui.get();
      err().println("Spark UI at " + url + " (its Streaming tab: " + url + "/streaming/)");
      err().flush();
    }
    SocketWatch socketWatch =
        settings.source() instanceof Source.Socket socket
            ? new SocketWatch(socket.host() + ":" + socket.port(), err())
            : null;
    if (socketWatch != null) {
      streaming.addStreamingListener(socketWatch);
    }
    if (page != null) {
      page.source(describe(settings.source()), !(settings.source() instanceof Source.Directory));
      streaming.addStreamingListener(new BatchEvents(page));
    }
    boolean kafka = settings.source() instanceof Source.Kafka;
    try (KafkaWatch kafkaWatch =
        kafka
            ? KafkaWatch.start(((Source.Kafka) settings.source()).kafka().bootstrapServers(), err())
            : null) {
      try {
        streaming.start();
        timings.ended("job started");
        feeders.forEach(Thread::start);
        // The job's own state file is written before each report; Spark's checkpoint is awaited.
        job.awaitEnd(streaming, stop, err(), kafkaWatch, kafka ? null : settings.checkpointDir());
      } finally {
        if (socketWatch != null) {
          socketWatch.stopping();
        }
        stopNow(streaming);
      }
    }
  }

  /** What the live page says the job reads. */
  private static String describe(Source source) {
    if (source instanceof Source.Kafka kafka) {
      return "Kafka topic " + kafka.kafka().topic() + " at " + kafka.kafka().bootstrapServers();
    }
    if (source instanceof Source.Socket socket) {
      return "the socket " + socket.host() + ":" + socket.port();
    }
    return "the files moved into " + ((Source.Directory) source).location();
  }

  /**
   * Stops the feeders, closes what {@link #closeAtEnd} was given (last first), the sink, the live
   * page, and deletes the scratch directory; a failure to close one does not keep the others open.
   *
   * @throws IOException when a resource could not be closed, or the directory deleted
   */
  @Override
  public void close() throws IOException {
    stop.request();
    try {
      for (Thread feeder : feeders) {
        feeder.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping anyway: close the rest
    }
    Exception failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (sink != null) {
      sink.close();
    }
    if (page != null) {
      page.close();
    }
    DataDirectories.deleteRecursively(scratch);
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure != null) {
      throw new IOException(failure.getMessage(), failure);
    }
  }

  /**
   * Stops {@code context} at once: {@link JobOptions#awaitEnd} has waited for the batches to keep.
   * A receiver (of a socket) complains about its own stop: its socket closes under it, it schedules
   * a restart, and the restart's sleep is interrupted, which ends its thread with an uncaught
   * exception. The receiver's loggers are off (see {@link SocketWatch}); that stack trace is
   * dropped too, unless --verbose.
   */
  private static void stopNow(JavaStreamingContext context) {
    if (!LogManager.getRootLogger().isInfoEnabled()
        && RECEIVER_INTERRUPTS_IGNORED.compareAndSet(false, true)) {
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
    context.stop(true, false);
  }
}
