package dev.streamlab.jobs.sql;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.Function1;
import scala.Tuple3;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;

/**
 * The Catalyst API of Spark 3.5 (Scala 2.12) that this project uses, where Spark 4 differs: a
 * function's builder takes a {@code scala.collection.Seq}, and a {@link Column} wraps an {@link
 * Expression}. Its twin for Spark 4 is in {@code src/main/spark-4.2}.
 */
final class CatalystBridge {

  private CatalystBridge() {}

  /** What {@code SparkSessionExtensions.injectFunction} takes: the function {@code name}. */
  static Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>>
      function(String name, ExpressionInfo info, Function<List<Column>, Column> builder) {
    return new Tuple3<>(
        FunctionIdentifier.apply(name),
        info,
        new AbstractFunction1<>() {
          @Override
          public Expression apply(Seq<Expression> children) {
            List<Column> columns =
                JavaConverters.seqAsJavaList(children).stream().map(Column::new).toList();
            return builder.apply(columns).expr();
          }
        });
  }
}
