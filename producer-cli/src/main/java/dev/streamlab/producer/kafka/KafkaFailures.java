package dev.streamlab.producer.kafka;

import dev.streamlab.producer.base.Durations;
import dev.streamlab.producer.base.Failures;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * A failure of a Kafka client told in one line that names its cause and the setting to look at:
 * credentials refused, a certificate not trusted, a TLS listener spoken to in plaintext, an ACL.
 */
public final class KafkaFailures {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private KafkaFailures() {}

  /**
   * The one-line description of {@code failure}: of the first Kafka security failure among its
   * causes, or as {@link Failures#describe} tells any other.
   */
  public static String describe(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = next(cause)) {
      String told = security(cause);
      if (told != null) {
        return told;
      }
    }
    if (String.valueOf(failure.getMessage()).startsWith("Failed to construct kafka")) {
      // The settings make no client: a keystore that does not open, a login module not there, …
      return "cannot make a Kafka client with these settings ("
          + firstLine(deepest(failure))
          + "): check --kafka-config";
    }
    return Failures.describe(failure);
  }

  private static Throwable next(Throwable failure) {
    return failure.getCause() == failure ? null : failure.getCause();
  }

  private static String security(Throwable failure) {
    if (failure instanceof SaslAuthenticationException) {
      return "authentication failed ("
          + firstLine(failure)
          + "): check the username and password in sasl.jaas.config, and sasl.mechanism";
    }
    if (failure instanceof SslAuthenticationException) {
      return tls(failure);
    }
    if (failure instanceof AuthenticationException) {
      return "authentication failed ("
          + firstLine(failure)
          + "): check security.protocol, sasl.mechanism and sasl.jaas.config";
    }
    if (failure instanceof TopicAuthorizationException topics) {
      Set<String> names = topics.unauthorizedTopics();
      return "not authorized to use topic "
          + (names.isEmpty() ? "" : String.join(", ", names) + " ")
          + "(TopicAuthorizationException): the broker's ACLs do not allow this user; it needs"
          + " READ on the topic to read it, WRITE to write it (check the user in --kafka-config)";
    }
    if (failure instanceof AuthorizationException) {
      return "not authorized ("
          + firstLine(failure)
          + "): the broker's ACLs do not allow this user (check the user in --kafka-config)";
    }
    if (failure instanceof ConfigException) {
      return "invalid Kafka client setting: " + firstLine(failure);
    }
    return null;
  }

  /** A failed TLS handshake: whom to trust, what to present, or which protocol to speak. */
  private static String tls(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = next(cause)) {
      if (cause instanceof CertPathBuilderException
          || String.valueOf(cause.getMessage()).contains("PKIX path")) {
        return "the broker's TLS certificate is not trusted (PKIX path building failed): check"
            + " ssl.truststore.location, which must hold the certificate of the authority that"
            + " signed the broker's";
      }
      if (cause instanceof CertificateException
          && String.valueOf(cause.getMessage()).contains("subject alternative names")) {
        return "the broker's TLS certificate does not name the address connected to ("
            + firstLine(cause)
            + "): connect by a name the certificate holds (--bootstrap-server)";
      }
      String message = String.valueOf(cause.getMessage());
      if (message.contains("certificate_required") || message.contains("bad_certificate")) {
        return "the broker requires a client certificate that it trusts ("
            + firstLine(cause)
            + "): check ssl.keystore.location and security.protocol";
      }
      if (message.contains("Unsupported or unrecognized SSL message")) {
        return "the TLS handshake failed: the listener does not speak TLS (check"
            + " security.protocol: PLAINTEXT or SASL_PLAINTEXT for such a listener)";
      }
    }
    return "the TLS handshake failed ("
        + firstLine(deepest(failure))
        + "): check security.protocol and the ssl.* settings";
  }

  /**
   * Why a client with {@code settings} has no answer from {@code bootstrap} when a broker does
   * listen there: its {@code security.protocol} is not the listener's (a TLS listener closes a
   * plaintext connection without a word, a SASL listener one that does not authenticate), or its
   * {@code sasl.mechanism} is not one the listener offers. Empty when nothing answers there, or the
   * client speaks as the listener does. Asks the first broker of {@code bootstrap} ({@link
   * ListenerProbe}).
   */
  public static Optional<String> mismatch(String bootstrap, ClientSettings settings) {
    return mismatch(bootstrap, settings.protocol(), settings.saslMechanism());
  }

  /**
   * Fails at once when {@link #mismatch(String, ClientSettings)} finds why the client would wait in
   * vain: before a command waits for Kafka.
   *
   * @throws IllegalStateException saying what the listener speaks and what to set
   */
  public static void requireSpokenTo(String bootstrap, ClientSettings settings) {
    Optional<String> why = mismatch(bootstrap, settings);
    if (why.isPresent()) {
      throw new IllegalStateException(why.get());
    }
  }

  /** That nothing answered at {@code bootstrap} within {@code timeout}, and what to do. */
  public static String noAnswer(String bootstrap, Duration timeout) {
    return "no Kafka broker answered at "
        + bootstrap
        + " within "
        + Durations.format(timeout)
        + " (start one with 'producer-cli broker', or give --bootstrap-server)";
  }

  /**
   * {@link #mismatch(String, ClientSettings)} for a client whose settings are its {@code
   * security.protocol} and {@code sasl.mechanism}.
   */
  public static Optional<String> mismatch(String bootstrap, String protocol, String mechanism) {
    if (protocol.contains("${") || mechanism.contains("${")) {
      return Optional.empty(); // a reference to a config provider, not resolved here
    }
    String client = protocol.strip().toUpperCase(Locale.ROOT);
    // The first broker that answers: those before it may be down.
    for (String broker : bootstrap.split(",")) {
      String hostPort = broker.strip();
      Optional<ListenerProbe.Listener> listener =
          ListenerProbe.probe(hostPort, PROBE_TIMEOUT, client.endsWith("SSL"), mechanism.strip());
      if (listener.isPresent()) {
        return mismatch(hostPort, client, mechanism.strip(), listener.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> mismatch(
      String hostPort, String client, String mechanism, ListenerProbe.Listener listener) {
    String offered =
        listener.sasl() ? "SASL mechanisms " + String.join(", ", listener.mechanisms()) : "no SASL";
    if (!listener.protocol().equals(client)) {
      String wanted;
      if (listener.clientCertificate()) {
        wanted = " with ssl.keystore.location (the certificate it asks for) and ssl.truststore.*";
      } else if (listener.sasl()) {
        wanted = " with sasl.mechanism and sasl.jaas.config";
      } else {
        wanted = "";
      }
      return Optional.of(
          hostPort
              + (listener.protocol().equals("SSL") ? " is an " : " is a ")
              + listener.protocol()
              + " listener ("
              + (listener.clientCertificate() ? "it asks for a client certificate" : offered)
              + "), but this client speaks security.protocol="
              + client
              + ": set security.protocol="
              + listener.protocol()
              + wanted
              + " in --kafka-config");
    }
    if (listener.sasl() && !listener.mechanisms().contains(mechanism)) {
      return Optional.of(
          hostPort
              + " offers "
              + offered
              + ", not this client's sasl.mechanism="
              + mechanism
              + ": set sasl.mechanism, and sasl.jaas.config's login module to match, in"
              + " --kafka-config");
    }
    return Optional.empty();
  }

  private static Throwable deepest(Throwable failure) {
    Throwable root = failure;
    while (next(root) != null) {
      root = next(root);
    }
    return root;
  }

  private static String firstLine(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElseThrow().strip();
  }
}
