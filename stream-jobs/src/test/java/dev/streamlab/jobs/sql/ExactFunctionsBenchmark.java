package dev.streamlab.jobs.sql;

import static org.apache.spark.sql.functions.col;

import dev.streamlab.jobs.SparkSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The speed of {@code exact_var_pop} against Spark's {@code var_pop} on the same cached Dataset of
 * 1e9 + U(0, 1): rounds interleaved (var_pop, exact_var_pop, var_pop, …), the ratio taken round by
 * round; prints the median and the range, and both results' relative difference. Run with:
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl stream-jobs test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd stream-jobs && java -Xmx3g $(cat ../lab-cli/target/jvm-flags.txt) \
 *     -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     dev.streamlab.jobs.sql.ExactFunctionsBenchmark 10000000 7
 * </pre>
 */
public final class ExactFunctionsBenchmark {

  private ExactFunctionsBenchmark() {}

  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    SparkSession spark =
        SparkSession.builder()
            .config(SparkSettings.conf("exact-functions-benchmark", "local[2]"))
            .getOrCreate();
    try {
      Dataset<Row> data =
          spark.range(rows).repartition(4).select(functions.rand(2026).plus(1e9).as("x")).cache();
      System.out.printf("%,d rows of 1e9 + U(0, 1), %d partitions, cached%n", data.count(), 4);
      Column sparks = functions.var_pop(col("x"));
      Column ours = ExactFunctions.exactVarPop(col("x"));
      time(data, sparks); // warm-up, unmeasured
      time(data, ours);
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double sparkSeconds = time(data, sparks);
        double ourSeconds = time(data, ours);
        ratios.add(ourSeconds / sparkSeconds);
        System.out.printf(
            "round %d: var_pop %.3f s, exact_var_pop %.3f s, ratio %.2f%n",
            round, sparkSeconds, ourSeconds, ourSeconds / sparkSeconds);
      }
      Collections.sort(ratios);
      System.out.printf(
          "exact_var_pop / var_pop time: median %.2f, min %.2f, max %.2f over %d rounds%n",
          ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), rounds);
      Row both = data.agg(sparks, ours).first();
      System.out.printf(
          "var_pop %s, exact_var_pop %s: relative difference %.2e%n",
          both.get(0),
          both.get(1),
          Math.abs(both.getDouble(0) - both.getDouble(1)) / both.getDouble(1));
    } finally {
      spark.stop();
    }
  }

  private static double time(Dataset<Row> data, Column aggregate) {
    long start = System.nanoTime();
    data.agg(aggregate).first();
    return (System.nanoTime() - start) / 1e9;
  }
}
