package dev.streamlab.jobs.sql;

import dev.streamlab.variance.StatsAccumulator;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * One exact aggregate function as a Spark {@link Aggregator}: the values of a group go into a
 * {@link StatsAccumulator} (the mutable recorder of {@code Stats}: shifted sums in double-double),
 * partial aggregates merge exactly, and the result is the {@link ExactStatistic} of the whole.
 *
 * <p>The buffer stays an object while a task aggregates (Spark's {@code TypedImperativeAggregate}),
 * so a value costs what {@link StatsAccumulator#accept(double)} costs; it is serialized with Kryo
 * only between stages, and kept in a streaming query's state store the same way.
 */
final class ExactAggregator extends Aggregator<Double, StatsAccumulator, Double> {

  private static final long serialVersionUID = 1L;

  private final ExactStatistic statistic;

  ExactAggregator(ExactStatistic statistic) {
    this.statistic = statistic;
  }

  @Override
  public StatsAccumulator zero() {
    return new StatsAccumulator();
  }

  @Override
  public StatsAccumulator reduce(StatsAccumulator buffer, Double value) {
    if (value != null) { // nulls are left out, as by Spark's own aggregates
      buffer.accept(value.doubleValue());
    }
    return buffer;
  }

  @Override
  public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
    return a.combine(b);
  }

  @Override
  public Double finish(StatsAccumulator buffer) {
    return statistic.of(buffer.toStats());
  }

  @Override
  public Encoder<StatsAccumulator> bufferEncoder() {
    return Encoders.kryo(StatsAccumulator.class);
  }

  @Override
  public Encoder<Double> outputEncoder() {
    return Encoders.DOUBLE();
  }
}
