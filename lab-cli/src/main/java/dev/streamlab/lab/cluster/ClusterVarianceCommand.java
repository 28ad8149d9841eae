package dev.streamlab.lab.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.cli.RateConverter;
import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.producer.feed.DataDirectories;
import dev.streamlab.producer.feed.LineSender;
import dev.streamlab.producer.feed.LineSource;
import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.variance.Stats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab-cli cluster variance}: the variance job on a real Spark standalone cluster and a real
 * three-broker Kafka cluster, all on this machine, with one broker stopped mid-run; checks that the
 * job's final result is exactly what was sent.
 */
@Command(
    name = "variance",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the variance job the way it runs on real clusters, on this machine, and checks it:",
      "  1. a Kafka cluster of three KRaft brokers, each a JVM of its own ('producer-cli broker"
          + " --quorum'), with topic 'variance' of 3 partitions replicated 3 times;",
      "  2. a Spark standalone cluster, a master and a worker made of this build's Spark jars;",
      "  3. the job jar submitted to it through Spark's own submit path"
          + " (org.apache.spark.deploy.SparkSubmit, what spark-submit runs), the driver in its"
          + " own JVM, the executor started by the worker;",
      "  4. --lines generated lines sent at --rate; halfway, one broker is stopped (SIGTERM)"
          + " and stays down;",
      "  5. when the job has counted everything, its driver is stopped (SIGTERM) and its final"
          + " n, Σx and Σx² must equal exactly what the brokers acknowledged.",
      "Everything listens on 127.0.0.1 only and is stopped at the end. Exit 0 when the result is"
          + " exact, 1 otherwise. Logs and data stay in --dir (by default a temporary directory,"
          + " removed after a success)."
    })
final class ClusterVarianceCommand implements Callable<Integer> {

  private static final String TOPIC = KafkaCluster.TOPIC;
  private static final int BROKERS = KafkaCluster.BROKERS;
  private static final Duration START_TIMEOUT = KafkaCluster.START_TIMEOUT;

  /** What the driver's KafkaWatch says about a broker: stamped with the time of day. */
  private static final Pattern KAFKA_WATCH_LINE =
      Pattern.compile("\\d\\d:\\d\\d:\\d\\d (warning: )?Kafka broker .*");

  @Spec CommandSpec spec;

  @Option(
      names = "--lines",
      defaultValue = "30000",
      paramLabel = "N",
      description = "Lines of 6 numbers to send. Default: ${DEFAULT-VALUE}.")
  long lines;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      paramLabel = "N/s",
      converter = RateConverter.class,
      description = "Lines a second. Default: ${DEFAULT-VALUE}/s.")
  double rate;

  @Option(
      names = "--stop-broker",
      defaultValue = "2",
      paramLabel = "NODE",
      description = "The broker (1 to 3) to stop halfway; 0 stops none. Default: ${DEFAULT-VALUE}.")
  int stopBroker;

  @Option(
      names = "--worker-cores",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "Cores the Spark worker offers, all given to the job. Default: ${DEFAULT-VALUE}.")
  int workerCores;

  @Option(
      names = "--security",
      defaultValue = "plaintext",
      paramLabel = "plaintext|sasl_ssl|ssl",
      description =
          "How the Kafka cluster's clients authenticate, as 'producer-cli broker --security' sets"
              + " it up, its three brokers sharing one --security-dir. The job gets its password"
              + " as the README advises, never on a command line: $${env:KAFKA_PASSWORD} in its"
              + " --kafka-config, the variable in the driver's environment and the executors'"
              + " (spark.executorEnv, from a Spark properties file). The run then also checks that"
              + " the password shows in no process's command line and no log or data file."
              + " Default: ${DEFAULT-VALUE}.")
  BrokerSecurity.Mode security;

  @Option(
      names = "--job-jar",
      paramLabel = "JAR",
      description =
          "The job jar to submit. Default: lab-cli-<line>-<version>-job.jar of this build.")
  Path jobJar;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Where the clusters keep their data and logs (kept). Default: a temporary directory,"
              + " removed after a success.")
  Path dir;

  private final ProcessGroup group = new ProcessGroup();
  private volatile boolean interrupted; // by Ctrl-C or SIGTERM: the shutdown hook stops everything

  @Override
  public Integer call() throws Exception {
    if (lines <= 0 || stopBroker < 0 || stopBroker > BROKERS || workerCores <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--lines and --worker-cores must be positive, --stop-broker one of 0, 1, 2, 3");
    }
    Path jar = jobJar != null ? jobJar : SparkDistribution.jobJar();
    if (!Files.isRegularFile(jar)) {
      throw new ParameterException(spec.commandLine(), "--job-jar " + jar + " is not a file");
    }
    PrintWriter err = spec.commandLine().getErr();
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("cluster-");
    Thread cleanup =
        new Thread(
            () -> {
              interrupted = true;
              err.println("Stopping everything this command started; logs and data: " + work);
              err.flush();
              group.stopAll();
            },
            "lab-cli-cluster-stop");
    Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C, SIGTERM: nothing started outlives it
    boolean exact = false;
    try {
      exact = run(work, jar, err);
      return exact ? 0 : 1;
    } catch (RuntimeException e) {
      if (interrupted) {
        return 130; // what failed, failed because the hook is stopping everything
      }
      throw e;
    } finally {
      if (!interrupted) {
        group.stopAll();
        ProcessGroup.removeShutdownHook(cleanup);
        if (exact && dir == null) {
          DataDirectories.deleteRecursively(work);
        } else {
          err.println("Logs and data: " + work);
        }
        err.flush();
      }
    }
  }

  private boolean run(Path work, Path jar, PrintWriter err) throws Exception {
    Path logs = work.resolve("logs");
    int[] ports = FreePorts.onLoopback(2 * BROKERS + 4);
    List<String> brokerAddresses =
        IntStream.range(0, BROKERS).mapToObj(i -> "127.0.0.1:" + ports[i]).toList();
    String bootstrap = String.join(",", brokerAddresses);
    BrokerSecurity secured = null;
    JobSecret secret = null;
    if (security != BrokerSecurity.Mode.PLAINTEXT) {
      secured = BrokerSecurity.prepare(security, work.resolve("kafka-security"), "127.0.0.1");
      secret = JobSecret.write(secured);
    }
    progress(
        err,
        "Starting a Kafka cluster: "
            + BROKERS
            + " KRaft brokers at "
            + bootstrap
            + (secured == null ? "" : ", " + security.protocol()));
    List<ChildJvm> brokers =
        KafkaCluster.start(
            group, work, logs, Arrays.copyOfRange(ports, 0, 2 * BROKERS), bootstrap, secured);
    progress(err, "Topic '" + TOPIC + "': 3 partitions, replication factor 3");

    Path home = SparkDistribution.install(work.resolve("spark"));
    String master = "spark://127.0.0.1:" + ports[2 * BROKERS];
    progress(err, "Starting a Spark standalone cluster: master " + master + ", one worker");
    ChildJvm worker =
        SparkStandaloneCluster.start(
            group,
            work,
            logs,
            home,
            Arrays.copyOfRange(ports, 2 * BROKERS, ports.length),
            workerCores);

    progress(err, "Submitting " + jar.getFileName() + " to " + master + " (SparkSubmit)");
    ChildJvm driver =
        SparkStandaloneCluster.submit(
            group, work, logs, home, master, jar, bootstrap, workerCores, secret);
    driver.await("first report", false, l -> l.startsWith("{"), START_TIMEOUT);
    worker.await("an executor", true, l -> l.contains("launch executor"), START_TIMEOUT);
    List<Long> showing = secret == null ? List.of() : secret.processesShowingIt();

    Stats sent = feed(bootstrap, KafkaCluster.settings(secured), brokers, driver, err);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (SparkStandaloneCluster.counted(driver) < sent.count()
        && System.nanoTime() < deadline
        && !interrupted) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    if (interrupted) {
      return false;
    }
    progress(err, "Stopping the job (SIGTERM to its driver)");
    int exit = driver.stop(ProcessGroup.STOP_GRACE);
    boolean exact = verdict(driver, exit, sent, err);
    return secret == null ? exact : kept(secret, showing, work, secured.dir()) && exact;
  }

  /**
   * Says whether the password stayed secret: in no command line of this machine's processes while
   * the job ran ({@code showing}), in no file of the clusters but those of the security directory.
   */
  private boolean kept(JobSecret secret, List<Long> showing, Path work, Path securityDir)
      throws IOException {
    List<Path> files = secret.filesShowingIt(work, securityDir);
    PrintWriter out = spec.commandLine().getOut();
    if (showing.isEmpty() && files.isEmpty()) {
      out.println(
          "Secret: the password was in no process's command line while the job ran, and is in no"
              + " log or data file, only in "
              + securityDir);
    } else {
      out.println(
          "SECRET SHOWN: the password is in the command line of processes "
              + showing
              + " and in the files "
              + files);
    }
    out.flush();
    return showing.isEmpty() && files.isEmpty();
  }

  /** Prints what was sent and what the stopped driver counted; whether they are the same. */
  private boolean verdict(ChildJvm driver, int exit, Stats sent, PrintWriter err)
      throws IOException {
    for (String line : driver.logLines()) {
      if (KAFKA_WATCH_LINE.matcher(line).matches()) {
        progress(err, "  job: " + line);
      }
    }
    List<String> reports = driver.outLines();
    JsonNode last = reports.isEmpty() ? null : LabJson.read(reports.get(reports.size() - 1));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Sent %,d lines (n = %,d, Σx = %s, Σx² = %s)%n",
        lines, sent.count(), plain(sent.sum()), plain(sent.sumOfSquares()));
    if (exit != 0 || last == null || !last.path("final").asBoolean()) {
      out.printf(
          "The driver ended with exit code %d and no final summary; see %s%n", exit, driver.log());
      out.flush();
      return false;
    }
    ExactSums counted = ExactSums.of(last);
    out.printf(
        "Job counted    (n = %,d, Σx = %s, Σx² = %s)%n",
        counted.n(), plain(counted.sumX()), plain(counted.sumXSquare()));
    boolean exact = counted.equals(ExactSums.of(sent));
    out.println(
        exact
            ? "Exact: every number sent was counted once"
                + (stopBroker > 0
                    ? ", with broker " + stopBroker + " down for the second half"
                    : "")
            : "NOT EXACT: the job's result differs from what was sent");
    out.flush();
    return exact;
  }

  /** Sends the lines at the rate, stopping a broker halfway; returns what was acknowledged. */
  private Stats feed(
      String bootstrap,
      ClientSettings client,
      List<ChildJvm> brokers,
      ChildJvm driver,
      PrintWriter err)
      throws InterruptedException {
    progress(err, String.format("Sending %,d lines at %,.0f/s", lines, rate));
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    long[] lastProgress = {System.nanoTime()};
    try (LineSender sender = new LineSender(bootstrap, TOPIC, Duration.ofSeconds(60), client)) {
      sender.sendAllBytes(
          LineSource.integers(1, 1000, 6),
          Duration.ofNanos(Math.round(1e9 / rate)),
          lines,
          () -> interrupted,
          (line, count) -> {
            if (count == lines / 2 && stopBroker > 0) {
              ChildJvm broker = brokers.get(stopBroker - 1);
              progress(err, "Stopping Kafka broker " + stopBroker + " (SIGTERM), mid-run");
              stops.add(CompletableFuture.runAsync(broker::close));
            }
            if (System.nanoTime() - lastProgress[0] > TimeUnit.SECONDS.toNanos(5)) {
              lastProgress[0] = System.nanoTime();
              progress(
                  err,
                  String.format(
                      "  sent %,d lines; the job has counted n = %,d",
                      count, SparkStandaloneCluster.counted(driver)));
            }
          });
      if (interrupted) {
        throw new IllegalStateException("interrupted");
      }
      sender.flush(); // every line acknowledged: closing then reports any that failed
      stops.forEach(CompletableFuture::join);
      Stats sent = sender.acknowledged().stats();
      progress(
          err,
          String.format(
              "All %,d lines acknowledged; waiting for the job", sender.acknowledgedLines()));
      return sent;
    }
  }

  private static void progress(PrintWriter err, String message) {
    err.println(message);
    err.flush();
  }

  private static String plain(double value) {
    return new java.math.BigDecimal(value).toPlainString();
  }
}
