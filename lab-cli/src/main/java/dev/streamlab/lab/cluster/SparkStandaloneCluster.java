package dev.streamlab.lab.cluster;

import dev.streamlab.lab.print.LabJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on loopback, a master and a worker made of this build's Spark jars
 * ({@link SparkDistribution}), and the job jar submitted to it through Spark's own submit path.
 */
final class SparkStandaloneCluster {

  private SparkStandaloneCluster() {}

  /**
   * Starts a master and a worker, {@code ports} being the master's port and web UI port, then the
   * worker's; returns the worker once it has registered with the master.
   */
  static ChildJvm start(
      ProcessGroup group, Path work, Path logs, Path home, int[] ports, int workerCores)
      throws Exception {
    ChildJvm master =
        group.start(
            logs,
            "spark-master",
            SparkDistribution.classPath(home),
            SparkDistribution.environment(home),
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(ports[0]),
            "--webui-port",
            Integer.toString(ports[1]));
    master.await(
        "election as leader", true, l -> l.contains("elected leader"), KafkaCluster.START_TIMEOUT);
    ChildJvm worker =
        group.start(
            logs,
            "spark-worker",
            SparkDistribution.classPath(home),
            SparkDistribution.environment(home),
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(ports[2]),
            "--webui-port",
            Integer.toString(ports[3]),
            "--cores",
            Integer.toString(workerCores),
            "--memory",
            "1g",
            "--work-dir",
            work.resolve("worker").toString(),
            "spark://127.0.0.1:" + ports[0]);
    worker.await(
        "registration with the master",
        true,
        l -> l.contains("Successfully registered"),
        KafkaCluster.START_TIMEOUT);
    return worker;
  }

  /**
   * {@code spark-submit} of the job jar's {@code run variance}, client mode: the driver.
   *
   * @param secret how the job gets the password of a secured Kafka; null for plaintext
   */
  static ChildJvm submit(
      ProcessGroup group,
      Path work,
      Path logs,
      Path home,
      String master,
      Path jar,
      String bootstrap,
      int workerCores,
      JobSecret secret)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master",
                master,
                "--deploy-mode",
                "client",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.cores.max=" + workerCores,
                "--conf",
                "spark.executor.memory=512m"));
    Map<String, String> environment = new HashMap<>(SparkDistribution.environment(home));
    if (secret != null) {
      args.addAll(secret.submitOptions());
      environment.putAll(secret.environment());
    }
    args.addAll(
        List.of(
            jar.toString(), // its manifest names the main class, as for a user's spark-submit JAR
            "run",
            "variance",
            "--bootstrap-server",
            bootstrap,
            "--topic",
            KafkaCluster.TOPIC,
            "--checkpoint",
            work.resolve("checkpoint").toString(),
            "--window",
            "1s",
            "--slide",
            "1s",
            "--format",
            "json"));
    if (secret != null) {
      args.addAll(secret.jobOptions());
    }
    return group.start(
        logs,
        "driver",
        SparkDistribution.classPath(home),
        environment,
        "org.apache.spark.deploy.SparkSubmit",
        args.toArray(String[]::new));
  }

  /** The cumulative n of the latest JSON report the driver printed; 0 before the first. */
  static long counted(ChildJvm driver) {
    List<String> reports = driver.outLines();
    for (int i = reports.size() - 1; i >= 0; i--) {
      try {
        return LabJson.read(reports.get(i)).path("n").asLong();
      } catch (IllegalArgumentException e) {
        // a line still being written: look at the one before
      }
    }
    return 0;
  }
}
