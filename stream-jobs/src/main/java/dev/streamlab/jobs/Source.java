package dev.streamlab.jobs;

import dev.streamlab.jobs.checkpoint.Checkpoints;
import dev.streamlab.jobs.kafka.KafkaSource;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where a job's lines come from: a Kafka topic, a TCP socket, or the files moved into a directory.
 * {@link JobContext#getOrCreate} turns it into the job's input.
 */
public sealed interface Source extends Serializable {

  /** A Kafka topic: offsets (and a job's state) are saved in the job's own file. */
  record Kafka(KafkaSource kafka) implements Source {
    public Kafka {
      Objects.requireNonNull(kafka, "kafka");
    }
  }

  /** Lines from a TCP server ({@link LineStreams#socket}); the receiver takes a core. */
  record Socket(String host, int port) implements Source {
    public Socket {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
      }
    }
  }

  /**
   * The lines of the files moved into a directory after the start ({@link LineStreams#directory}).
   *
   * @param location a local path or a Hadoop file system URI
   */
  record Directory(String location) implements Source {
    public Directory {
      location = Checkpoints.location(Objects.requireNonNull(location, "location"));
    }
  }

  /** The Kafka topic of {@code kafka}. */
  static Source kafka(KafkaSource kafka) {
    return new Kafka(kafka);
  }

  /** The TCP server at {@code host}:{@code port}. */
  static Source socket(String host, int port) {
    return new Socket(host, port);
  }

  /** The files moved into {@code location}, a local path or a Hadoop file system URI. */
  static Source directory(String location) {
    return new Directory(location);
  }
}
