package dev.streamlab.producer.kafka;

import dev.streamlab.producer.base.Failures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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
   * Why no broker answered at {@code bootstrap}, when the cause is a TLS listener spoken to in
   * plaintext: such a listener closes the connection without a word, and the client waits for an
   * answer until its timeout. Empty when the client speaks TLS, or the listener does not.
   *
   * @param securityProtocol the client's {@code security.protocol}
   */
  public static Optional<String> plaintextToTls(String bootstrap, String securityProtocol) {
    String protocol = securityProtocol.strip().toUpperCase(Locale.ROOT);
    if ((protocol.equals("PLAINTEXT") || protocol.equals("SASL_PLAINTEXT"))
        && speaksTls(bootstrap.split(",")[0].strip(), PROBE_TIMEOUT)) {
      return Optional.of(
          bootstrap
              + " speaks TLS, but this client does not (security.protocol="
              + protocol
              + "): set security.protocol=SSL or SASL_SSL in --kafka-config, with the settings"
              + " the broker asks for");
    }
    return Optional.empty();
  }

  /**
   * Whether the listener at {@code hostPort} answers a TLS handshake. It only looks: nothing is
   * sent after the handshake, so its certificate is not checked here (the client's own connection
   * checks it).
   */
  static boolean speaksTls(String hostPort, Duration timeout) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    int millis = (int) timeout.toMillis();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), millis);
      plain.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new LookOnly()}, null);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        tls.startHandshake();
        return true;
      }
    } catch (SSLHandshakeException e) {
      // An alert is TLS speaking: a listener that wants a client certificate, say.
      return String.valueOf(e.getMessage()).contains("Received fatal alert");
    } catch (SSLException | GeneralSecurityException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Accepts any certificate: the probe only asks whether the listener speaks TLS. */
  private static final class LookOnly implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
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
