package dev.streamlab.jobs.sql;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Gives every Spark session the exact aggregate functions ({@link ExactFunctions}), for SQL
 * strings, {@code spark-sql} and PySpark: start Spark with this jar and
 *
 * <pre>
 * --conf spark.sql.extensions=dev.streamlab.jobs.sql.ExactFunctionsExtension
 * </pre>
 */
public final class ExactFunctionsExtension
    extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

  /** Spark creates the extension by this constructor. */
  public ExactFunctionsExtension() {}

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (ExactStatistic statistic : ExactStatistic.values()) {
      extensions.injectFunction(
          CatalystBridge.function(
              statistic.functionName(),
              new ExpressionInfo(
                  ExactAggregator.class.getName(),
                  null,
                  statistic.functionName(),
                  "_FUNC_(expr) - "
                      + statistic.builtIn()
                      + "(expr), exact to about 1e-16 relative (shifted double-double sums)",
                  ""),
              columns -> ExactFunctions.udaf(statistic).apply(columns.toArray(Column[]::new))));
    }
    return BoxedUnit.UNIT;
  }
}
