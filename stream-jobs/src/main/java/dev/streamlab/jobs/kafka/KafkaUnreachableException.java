package dev.streamlab.jobs.kafka;

/**
 * Kafka did not answer a job that starts: nothing listens there, or the client's protocol is not
 * the listener's (a plaintext client, which a TLS listener leaves waiting without a word; a client
 * that does not authenticate, which a SASL listener leaves so).
 */
public final class KafkaUnreachableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String securityProtocol;
  private final String saslMechanism;

  KafkaUnreachableException(
      String message,
      String bootstrapServers,
      String securityProtocol,
      String saslMechanism,
      Throwable cause) {
    super(message, cause);
    this.bootstrapServers = bootstrapServers;
    this.securityProtocol = securityProtocol;
    this.saslMechanism = saslMechanism;
  }

  /** The brokers that did not answer, {@code host:port,…}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The job's {@code security.protocol}. */
  public String securityProtocol() {
    return securityProtocol;
  }

  /** The job's {@code sasl.mechanism}, Kafka's default when not set. */
  public String saslMechanism() {
    return saslMechanism;
  }
}
