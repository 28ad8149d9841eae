package dev.streamlab.jobs.sql;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.classic.ColumnNodeToExpressionConverter$;
import org.apache.spark.sql.classic.ExpressionUtils;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The Catalyst API of Spark 4 (Scala 2.13) that this project uses, where Spark 3.5 differs: a
 * function's builder takes an immutable {@code Seq}, and a {@link Column} holds a column node, not
 * an {@link Expression}: the classic session's {@link ExpressionUtils} and {@code
 * ColumnNodeToExpressionConverter} convert. Its twin for Spark 3.5 is in {@code
 * src/main/spark-3.5}.
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
                CollectionConverters.asJava(children).stream()
                    .map(ExpressionUtils::column)
                    .toList();
            // Converted now: a column's node left to the analyzer (ExpressionUtils.expression)
            // fails code generation in an injected function ("Cannot generate code").
            return ColumnNodeToExpressionConverter$.MODULE$.apply(builder.apply(columns).node());
          }
        });
  }
}
