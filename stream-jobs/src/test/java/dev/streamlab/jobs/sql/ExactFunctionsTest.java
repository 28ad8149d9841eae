package dev.streamlab.jobs.sql;

import static dev.streamlab.jobs.sql.ExactFunctions.exactAvg;
import static dev.streamlab.jobs.sql.ExactFunctions.exactStddevPop;
import static dev.streamlab.jobs.sql.ExactFunctions.exactVarPop;
import static dev.streamlab.jobs.sql.ExactFunctions.exactVarSamp;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlab.jobs.SparkSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact aggregate functions on a real Spark SQL session: batch and streaming, Dataset API and
 * SQL through {@code spark.sql.extensions}, against an exact BigDecimal oracle and Spark's own.
 */
class ExactFunctionsTest {

  private static final StructType SCHEMA =
      new StructType().add("g", DataTypes.StringType).add("x", DataTypes.DoubleType);

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .config(SparkSettings.conf("exact-functions-test", "local[2]"))
            .config("spark.sql.extensions", ExactFunctionsExtension.class.getName())
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void onOffsetDataTheExactVarianceIsExactWhereSparksIsNot() {
    long seed = 20261201;
    Random random = new Random(seed);
    double[] values = new double[200_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1e9 + random.nextDouble();
    }
    Dataset<Double> numbers =
        spark
            .createDataset(Arrays.stream(values).boxed().toList(), Encoders.DOUBLE())
            .repartition(4);
    Row row =
        numbers
            .agg(
                exactVarPop(col("value")),
                org.apache.spark.sql.functions.var_pop(col("value")),
                exactVarSamp(col("value")),
                exactStddevPop(col("value")),
                exactAvg(col("value")))
            .first();

    BigDecimal exact = exactPopulationVariance(values);
    double ours = row.getDouble(0);
    double sparks = row.getDouble(1);
    double oursError = relativeError(ours, exact);
    double sparksError = relativeError(sparks, exact);
    System.out.printf(
        "1e9 + U(0, 1), n = %d, seed %d: exact_var_pop relative error %.2e, var_pop %.2e%n",
        values.length, seed, oursError, sparksError);

    assertThat(oursError)
        .as("exact_var_pop %s vs exact %s (var_pop's error: %.2e)", ours, exact, sparksError)
        .isLessThanOrEqualTo(1e-13);
    int n = values.length;
    assertThat(row.getDouble(2)).isCloseTo(ours * n / (n - 1), within(ours * 1e-13));
    assertThat(row.getDouble(3)).isCloseTo(Math.sqrt(ours), within(Math.sqrt(ours) * 1e-13));
    BigDecimal sum =
        Arrays.stream(values).mapToObj(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(row.getDouble(4))
        .isEqualTo(sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue());
  }

  @Test
  void nullsNaNAndSmallGroupsAreAsSparksBuiltIns() {
    List<Row> rows =
        List.of(
            RowFactory.create("nulls only", null),
            RowFactory.create("nulls only", null),
            RowFactory.create("one", 5.0),
            RowFactory.create("one and a null", 5.0),
            RowFactory.create("one and a null", null),
            RowFactory.create("with NaN", 1.0),
            RowFactory.create("with NaN", Double.NaN),
            RowFactory.create("with infinity", 1.0),
            RowFactory.create("with infinity", Double.POSITIVE_INFINITY),
            RowFactory.create("plain", 1.0),
            RowFactory.create("plain", 2.0),
            RowFactory.create("plain", 4.0));
    spark.createDataFrame(rows, SCHEMA).createOrReplaceTempView("edges");

    for (ExactStatistic statistic : ExactStatistic.values()) {
      List<Row> both =
          spark
              .sql(
                  "SELECT g, "
                      + statistic.functionName()
                      + "(x), "
                      + statistic.builtIn()
                      + "(x) FROM edges GROUP BY g ORDER BY g")
              .collectAsList();
      assertThat(both).hasSize(6);
      for (Row group : both) {
        String what = statistic.functionName() + " of '" + group.getString(0) + "'";
        if (group.isNullAt(2)) {
          assertThat(group.isNullAt(1)).as(what).isTrue();
        } else if (Double.isNaN(group.getDouble(2)) || Double.isInfinite(group.getDouble(2))) {
          assertThat(Double.valueOf(group.getDouble(1))).as(what).isEqualTo(group.get(2));
        } else {
          assertThat(group.getDouble(1))
              .as(what)
              .isCloseTo(group.getDouble(2), within(1e-12 * Math.abs(group.getDouble(2))));
        }
      }
    }
    // A query over no rows at all: one row of nulls, as var_pop gives.
    Row empty =
        spark.sql("SELECT exact_var_pop(x), var_pop(x) FROM edges WHERE g = 'none'").first();
    assertThat(empty.isNullAt(0)).isTrue();
    assertThat(empty.isNullAt(1)).isTrue();
  }

  @Test
  void aStreamingAggregationKeepsTheExactVarianceAcrossMicroBatches() throws Exception {
    Path input = Files.createDirectories(dir.resolve("input"));
    Map<String, List<Double>> sent = new TreeMap<>();
    Random random = new Random(7);
    List<Row> updates = new CopyOnWriteArrayList<>();
    Dataset<Row> readings = spark.readStream().schema(SCHEMA).csv(input.toString());
    StreamingQuery complete =
        readings
            .groupBy("g")
            .agg(exactVarPop(col("x")).as("var"), org.apache.spark.sql.functions.count("x"))
            .writeStream()
            .outputMode("complete")
            .format("memory")
            .queryName("exact_complete")
            .option("checkpointLocation", dir.resolve("complete").toString())
            .start();
    StreamingQuery update =
        readings
            .groupBy("g")
            .agg(exactVarSamp(col("x")).as("var"))
            .writeStream()
            .outputMode("update")
            .option("checkpointLocation", dir.resolve("update").toString())
            .foreachBatch((Dataset<Row> batch, Long id) -> updates.addAll(batch.collectAsList()))
            .start();
    try {
      for (int file = 0; file < 3; file++) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          String group = "sensor-" + random.nextInt(3);
          double x = 1e9 + random.nextDouble();
          sent.computeIfAbsent(group, g -> new ArrayList<>()).add(x);
          lines.add(group + "," + x);
        }
        Path written = Files.write(dir.resolve("part-" + file + ".csv"), lines);
        Files.move(written, input.resolve(written.getFileName())); // whole files only
        complete.processAllAvailable();
        update.processAllAvailable();
      }
    } finally {
      complete.stop();
      update.stop();
    }

    Map<String, Double> finalVariance =
        spark.sql("SELECT g, var FROM exact_complete").collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
    Map<String, Double> lastUpdate = new TreeMap<>();
    updates.forEach(r -> lastUpdate.put(r.getString(0), r.getDouble(1)));
    assertThat(finalVariance.keySet()).isEqualTo(sent.keySet());
    assertThat(lastUpdate.keySet()).isEqualTo(sent.keySet());
    for (Map.Entry<String, List<Double>> group : sent.entrySet()) {
      double[] values = group.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      BigDecimal exact = exactPopulationVariance(values);
      assertThat(relativeError(finalVariance.get(group.getKey()), exact))
          .as("complete mode, %s", group.getKey())
          .isLessThanOrEqualTo(1e-13);
      BigDecimal exactSample =
          exact
              .multiply(BigDecimal.valueOf(values.length))
              .divide(BigDecimal.valueOf(values.length - 1), MathContext.DECIMAL128);
      assertThat(relativeError(lastUpdate.get(group.getKey()), exactSample))
          .as("update mode, %s", group.getKey())
          .isLessThanOrEqualTo(1e-13);
    }
  }

  /** Σ(x − mean)² / n of the doubles, computed exactly and rounded to 34 digits. */
  private static BigDecimal exactPopulationVariance(double[] values) {
    BigDecimal n = BigDecimal.valueOf(values.length);
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    for (double value : values) {
      BigDecimal x = new BigDecimal(value);
      sum = sum.add(x);
      squares = squares.add(x.multiply(x));
    }
    // (nΣx² − (Σx)²) / n², exact up to the one division
    return squares
        .multiply(n)
        .subtract(sum.multiply(sum))
        .divide(n.multiply(n), MathContext.DECIMAL128);
  }

  private static double relativeError(double value, BigDecimal exact) {
    return new BigDecimal(value)
        .subtract(exact)
        .abs()
        .divide(exact, MathContext.DECIMAL64)
        .doubleValue();
  }
}
