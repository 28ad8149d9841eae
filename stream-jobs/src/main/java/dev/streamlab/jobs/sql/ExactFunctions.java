package dev.streamlab.jobs.sql;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * Exact variance, standard deviation and mean as Spark SQL aggregate functions: {@code
 * exact_var_pop}, {@code exact_var_samp}, {@code exact_stddev_pop}, {@code exact_stddev_samp} and
 * {@code exact_avg}, the counterparts of Spark's {@code var_pop}, {@code var_samp}, {@code
 * stddev_pop}, {@code stddev_samp} and {@code avg}, within about 1e-16 relative of the exact value
 * of the doubles where Spark's lose digits on offset data (1e-9 on 1e9 + U(0, 1)). Null and NaN as
 * the built-ins ({@link ExactStatistic}); batch queries and Structured Streaming aggregations
 * alike.
 *
 * <pre>{@code
 * dataset.groupBy("sensor").agg(ExactFunctions.exactVarPop(col("reading")));
 *
 * ExactFunctions.register(spark);                  // or spark.sql.extensions, see below
 * spark.sql("SELECT exact_var_pop(reading) FROM readings");
 * }</pre>
 *
 * <p>For SQL strings, {@code spark-sql} and PySpark without code, {@link ExactFunctionsExtension}
 * registers them in every session: {@code --conf
 * spark.sql.extensions=dev.streamlab.jobs.sql.ExactFunctionsExtension} and the jar.
 */
public final class ExactFunctions {

  private ExactFunctions() {}

  /**
   * The aggregate function of {@code statistic}, for {@code agg(...)} or {@code
   * spark.udf().register}.
   *
   * @param statistic which statistic
   * @return the function, named {@link ExactStatistic#functionName()}, of one double column
   */
  public static UserDefinedFunction udaf(ExactStatistic statistic) {
    return functions
        .udaf(new ExactAggregator(statistic), Encoders.DOUBLE())
        .withName(statistic.functionName());
  }

  /**
   * Registers the five functions in {@code spark}'s session, for SQL strings.
   *
   * @param spark the session
   */
  public static void register(SparkSession spark) {
    for (ExactStatistic statistic : ExactStatistic.values()) {
      spark.udf().register(statistic.functionName(), udaf(statistic));
    }
  }

  /**
   * {@code exact_var_pop(column)}.
   *
   * @param column a numeric column (Spark casts it to double)
   * @return the population variance of its values in each group
   */
  public static Column exactVarPop(Column column) {
    return apply(ExactStatistic.VAR_POP, column);
  }

  /**
   * {@code exact_var_samp(column)}.
   *
   * @param column a numeric column (Spark casts it to double)
   * @return the sample variance of its values in each group
   */
  public static Column exactVarSamp(Column column) {
    return apply(ExactStatistic.VAR_SAMP, column);
  }

  /**
   * {@code exact_stddev_pop(column)}.
   *
   * @param column a numeric column (Spark casts it to double)
   * @return the population standard deviation of its values in each group
   */
  public static Column exactStddevPop(Column column) {
    return apply(ExactStatistic.STDDEV_POP, column);
  }

  /**
   * {@code exact_stddev_samp(column)}.
   *
   * @param column a numeric column (Spark casts it to double)
   * @return the sample standard deviation of its values in each group
   */
  public static Column exactStddevSamp(Column column) {
    return apply(ExactStatistic.STDDEV_SAMP, column);
  }

  /**
   * {@code exact_avg(column)}.
   *
   * @param column a numeric column (Spark casts it to double)
   * @return the mean of its values in each group
   */
  public static Column exactAvg(Column column) {
    return apply(ExactStatistic.AVG, column);
  }

  private static Column apply(ExactStatistic statistic, Column column) {
    return udaf(statistic).apply(column);
  }
}
