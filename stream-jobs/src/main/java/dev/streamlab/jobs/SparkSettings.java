package dev.streamlab.jobs;

import org.apache.spark.SparkConf;

/** The Spark configuration every job of this project starts from. */
public final class SparkSettings {

  private SparkSettings() {}

  /**
   * A configuration for {@code appName} on {@code master}: the driver binds to 127.0.0.1 and the
   * web UI is off, so nothing listens beyond this machine unless a cluster manager says so.
   */
  public static SparkConf conf(String appName, String master) {
    return new SparkConf()
        .setAppName(appName)
        .setMaster(master)
        .setIfMissing("spark.driver.host", "127.0.0.1")
        .setIfMissing("spark.driver.bindAddress", "127.0.0.1")
        .setIfMissing("spark.ui.enabled", "false")
        // Ctrl-C and SIGTERM finish the batch in flight and write the checkpoint.
        .setIfMissing("spark.streaming.stopGracefullyOnShutdown", "true")
        // One core machines and tests: no need for 200 shuffle partitions.
        .setIfMissing("spark.default.parallelism", "2")
        .setIfMissing("spark.sql.shuffle.partitions", "2");
  }
}
