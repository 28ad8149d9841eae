package dev.streamlab.lab.run;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What every {@code run} command offers beyond the job: its start-up's timings, its live page,
 * Spark's UI.
 */
public final class RunOptions {

  /** The port of --ui without one. */
  static final int UI_PORT = 8050;

  /** The port of --metrics without one. */
  static final int METRICS_PORT = 9464;

  @Option(
      names = "--timings",
      description =
          "At the first report, print on standard error where the start-up went: the end of each"
              + " step (main, the embedded broker, the Spark context, the job's start, the first"
              + " report) in seconds since the JVM started.")
  private boolean timings;

  @Option(
      names = "--ui",
      arity = "0..1",
      fallbackValue = "" + UI_PORT,
      paramLabel = "PORT",
      description =
          "Serve a live page of the job on PORT (default "
              + UI_PORT
              + "; 0 picks a free one), its URL printed at the start: charts of the reports and"
              + " of every batch (records, processing time against the batch interval,"
              + " scheduling delay), updated as they come. It works offline. It serves /metrics"
              + " too. Default: off.")
  private Integer uiPort;

  @Option(
      names = "--metrics",
      arity = "0..1",
      fallbackValue = "" + METRICS_PORT,
      paramLabel = "PORT",
      description =
          "Serve the job's metrics for Prometheus at /metrics on PORT (default "
              + METRICS_PORT
              + "; 0 picks a free one) without the live page, which serves them itself: the"
              + " counts of the latest report, the lag per partition, the batches' processing time"
              + " and scheduling delay, the saved state's age, the JVM's. Default: off.")
  private Integer metricsPort;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "The address the --ui page (or --metrics) listens on; anything but loopback opens it to"
              + " the network, and it then asks for a token, which the address printed at the start"
              + " carries (…/?token=…; a program sends 'Authorization: Bearer TOKEN'). Default:"
              + " 127.0.0.1.")
  private String uiHost;

  @Option(
      names = "--spark-ui",
      description =
          "Spark's own web UI, with its Streaming tab, its URL printed at the start. Spark binds"
              + " it to SPARK_LOCAL_IP, or to every interface when that is unset, so it needs"
              + " SPARK_LOCAL_IP: bin/lab-cli sets it to 127.0.0.1 for --spark-ui; elsewhere set"
              + " it yourself. Default: off.")
  private boolean sparkUi;

  /** Whether --timings was given. */
  boolean timings() {
    return timings;
  }

  /** The port of --ui, or null without it. */
  Integer uiPort() {
    return uiPort;
  }

  /** The port of --metrics, or null without it. */
  Integer metricsPort() {
    return metricsPort;
  }

  /** Where the --ui page listens. */
  String uiHost() {
    return uiHost != null ? uiHost : "127.0.0.1";
  }

  /** Whether --spark-ui was given. */
  boolean sparkUi() {
    return sparkUi;
  }

  /**
   * Checks --ui and --host, and turns Spark's UI on for --spark-ui ({@code spark.ui.enabled}, a
   * system property every new {@code SparkConf} reads).
   *
   * @throws ParameterException when --host comes without --ui, the port is not one, or --spark-ui
   *     comes without SPARK_LOCAL_IP: Spark's UI would listen on every interface
   */
  public void applySparkSettings(CommandSpec spec) {
    if (uiHost != null && uiPort == null && metricsPort == null) {
      throw new ParameterException(
          spec.commandLine(), "--host is where --ui or --metrics listens: give one of them");
    }
    if (uiPort != null && metricsPort != null) {
      throw new ParameterException(
          spec.commandLine(), "--ui serves /metrics itself: leave out --metrics");
    }
    for (Integer port : new Integer[] {uiPort, metricsPort}) {
      if (port != null && (port < 0 || port > 65_535)) {
        throw new ParameterException(
            spec.commandLine(),
            (port.equals(uiPort) ? "--ui" : "--metrics")
                + " takes a port from 0 to 65535, was "
                + port);
      }
    }
    if (!sparkUi) {
      return;
    }
    String localIp = System.getenv("SPARK_LOCAL_IP");
    if (localIp == null || localIp.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "--spark-ui needs SPARK_LOCAL_IP (without it Spark binds its web UI to every"
              + " interface): bin/lab-cli sets it to 127.0.0.1, or run with"
              + " SPARK_LOCAL_IP=127.0.0.1");
    }
    System.setProperty("spark.ui.enabled", "true");
  }
}
