package dev.streamlab.jobs;

import dev.streamlab.jobs.kafka.KafkaInput;
import dev.streamlab.jobs.kafka.KafkaSource;
import java.nio.file.Path;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/** The lab's line sources: a Kafka topic, a TCP socket and a watched directory. */
public final class LineStreams {

  private LineStreams() {}

  /**
   * The values of every partition of a Kafka topic, from where {@code source} says, as a new job
   * with no saved state ({@link KafkaInput#values}). A record without a value (a tombstone) reads
   * as {@code null}.
   *
   * @throws IllegalStateException when Kafka is unreachable
   */
  public static JavaDStream<String> kafka(JavaStreamingContext context, KafkaSource source) {
    return KafkaInput.values(context, source);
  }

  /**
   * Lines from a TCP server ({@code socketTextStream}), stored without replication: the default
   * {@code MEMORY_AND_DISK_SER_2} warns on every block in local mode, where there is no peer to
   * replicate to. The receiver takes a core: run with {@code local[n]}, n of at least 2.
   */
  public static JavaDStream<String> socket(JavaStreamingContext context, String host, int port) {
    return context.socketTextStream(host, port, StorageLevel.MEMORY_AND_DISK_SER());
  }

  /**
   * Lines of the files that appear in {@code dir} after the start ({@code textFileStream}): only
   * files moved in atomically with a current modification time, as {@code producer-cli drop} does;
   * names starting with a dot are ignored.
   */
  public static JavaDStream<String> directory(JavaStreamingContext context, Path dir) {
    return directory(context, dir.toAbsolutePath().toUri().toString());
  }

  /**
   * Lines of the files that appear in {@code dir} after the start, {@code dir} being a Hadoop file
   * system URI ({@code hdfs://…}, {@code file:/…}) or an absolute path; see {@link
   * #directory(JavaStreamingContext, Path)}.
   */
  public static JavaDStream<String> directory(JavaStreamingContext context, String dir) {
    return context.textFileStream(dir);
  }
}
