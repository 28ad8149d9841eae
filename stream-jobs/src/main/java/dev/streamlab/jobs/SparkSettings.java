package dev.streamlab.jobs;

import org.apache.spark.SparkConf;

/** The Spark configuration every job of this project starts from. */
public final class SparkSettings {

  private SparkSettings() {}

  /**
   * A configuration for {@code appName} on {@code master}, over the {@code spark.*} system
   * properties ({@code spark-submit --conf} sets them). The web UI is off unless asked for, and in
   * local mode the driver binds to 127.0.0.1, so nothing listens beyond this machine; on a cluster
   * the driver must be reachable by executors, and Spark picks its address ({@code
   * spark.driver.host}, {@code SPARK_LOCAL_IP}).
   */
  public static SparkConf conf(String appName, String master) {
    SparkConf conf = new SparkConf().setAppName(appName).setMaster(master);
    if (master.startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1")
          .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return conf.setIfMissing("spark.ui.enabled", "false")
        // Ctrl-C and SIGTERM finish the batch in flight and write the checkpoint.
        .setIfMissing("spark.streaming.stopGracefullyOnShutdown", "true")
        // A graceful stop closes the driver's log of received blocks before it allocates the last
        // ones to batches; with the default batched log those writes fail, the blocks stay
        // unallocated, their data is dropped, and the stop waits its full timeout (10 batches:
        // 100 s on 10 s batches, measured). A log that opens a file per write accepts them.
        .setIfMissing("spark.streaming.driver.writeAheadLog.allowBatching", "false")
        .setIfMissing("spark.streaming.driver.writeAheadLog.closeFileAfterWrite", "true")
        // One core machines and tests: no need for 200 shuffle partitions.
        .setIfMissing("spark.default.parallelism", "2")
        .setIfMissing("spark.sql.shuffle.partitions", "2");
  }
}
