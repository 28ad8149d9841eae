package dev.streamlab.jobs.kafka;

/**
 * Kafka did not answer a job that starts: nothing listens there, or the client's protocol is not
 * the listener's (a plaintext client, which a TLS listener leaves waiting without a word).
 */
public final class KafkaUnreachableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String securityProtocol;

  KafkaUnreachableException(
      String message, String bootstrapServers, String securityProtocol, Throwable cause) {
    super(message, cause);
    this.bootstrapServers = bootstrapServers;
    this.securityProtocol = securityProtocol;
  }

  /** The brokers that did not answer, {@code host:port,…}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The job's {@code security.protocol}. */
  public String securityProtocol() {
    return securityProtocol;
  }
}
