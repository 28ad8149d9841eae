package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaInput;
import java.util.function.Consumer;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * What a job computes from its lines: the one part that differs from job to job. {@link
 * JobContext#getOrCreate} gives it the lines of the job's {@link Source}.
 */
@FunctionalInterface
public interface Pipeline {

  /**
   * Builds the job on the lines of a socket or a directory. Spark checkpoints the job when it has a
   * checkpoint directory; whatever the functions capture must then be serializable.
   */
  void build(JavaDStream<String> lines);

  /**
   * Builds the job on a Kafka topic, whose offsets (and the job's state, if it keeps one) are saved
   * in the job's own file. By default the pipeline of {@link #build(JavaDStream)} on the topic's
   * lines, the offsets saved once each batch's outputs are done; a job that keeps state gives it to
   * {@link KafkaInput#fold} instead.
   */
  default void build(KafkaInput input) {
    build(input.lines());
    input.saveOffsetsAfterEachBatch();
  }

  /** A pipeline that builds with {@code onLines}, and on Kafka with {@code onKafka} instead. */
  static Pipeline of(Consumer<JavaDStream<String>> onLines, Consumer<KafkaInput> onKafka) {
    return new Pipeline() {
      @Override
      public void build(JavaDStream<String> lines) {
        onLines.accept(lines);
      }

      @Override
      public void build(KafkaInput input) {
        onKafka.accept(input);
      }
    };
  }
}
