package dev.streamlab.producer.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * What a Kafka listener speaks, asked of the listener itself: TLS or not, SASL or not, and which
 * SASL mechanisms it offers. A client whose {@code security.protocol} is not the listener's is
 * often left without an answer until its timeout (a TLS listener closes a plaintext connection
 * without a word; a SASL listener, a connection that does not authenticate), so a command asks the
 * listener when its client had no answer, and names the protocol it wants.
 *
 * <p>The probe opens one connection (two when the listener does not speak as the client does),
 * sends one {@code SaslHandshake} request, and reads the answer: a SASL listener lists its
 * mechanisms, any other answers that SASL is not expected here. Nothing is authenticated and no
 * certificate is checked: the probe only looks.
 */
public final class ListenerProbe {

  /** What the listener speaks. */
  public record Listener(
      boolean tls, boolean clientCertificate, boolean sasl, List<String> mechanisms) {

    /** The {@code security.protocol} a client needs for this listener. */
    public String protocol() {
      return (sasl ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT");
    }
  }

  private ListenerProbe() {}

  /**
   * What the listener at {@code hostPort} speaks; empty when nothing answers there within {@code
   * timeout}, or what answers is not Kafka.
   *
   * <p>It speaks first as the client would ({@code tls}, {@code mechanism}), so that a listener the
   * client matches sees an ordinary start of a connection, and its broker logs nothing unusual;
   * only when that fails does it try the other way.
   *
   * @param tls whether the client speaks TLS
   * @param mechanism the client's SASL mechanism, asked for in the handshake: a SASL listener
   *     answers with the mechanisms it offers either way
   */
  public static Optional<Listener> probe(
      String hostPort, Duration timeout, boolean tls, String mechanism) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    int millis = (int) Math.max(1, timeout.toMillis());
    try {
      Optional<Listener> asTheClient =
          tls ? overTls(address, millis, mechanism) : plain(address, millis, mechanism);
      return asTheClient.isPresent()
          ? asTheClient
          : tls ? plain(address, millis, mechanism) : overTls(address, millis, mechanism);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The listener, when it speaks Kafka without TLS; empty when it does not. */
  private static Optional<Listener> plain(InetSocketAddress address, int millis, String mechanism)
      throws IOException {
    try (Socket plain = connect(address, millis)) {
      return handshake(plain, mechanism).map(sasl -> listener(false, false, sasl));
    } catch (IOException e) {
      // A TLS listener waits for a ClientHello, or closes on what is not one; or nothing listens.
      return Optional.empty();
    }
  }

  /** The listener, when it speaks TLS; empty when it does not. */
  private static Optional<Listener> overTls(InetSocketAddress address, int millis, String mechanism)
      throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new LookOnly()}, null);
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
    boolean handshaken = false;
    try (Socket plain = connect(address, millis);
        SSLSocket tls =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(plain, address.getHostString(), address.getPort(), true)) {
      tls.startHandshake();
      handshaken = true;
      return handshake(tls, mechanism).map(sasl -> listener(true, false, sasl));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      // TLS spoken, then the connection refused: a listener that wants a client certificate, which
      // the probe has not. TLS 1.3 says so only after the handshake, by an alert at the first read,
      // or a reset when the alert is lost to the closing connection.
      if (handshaken || String.valueOf(e.getMessage()).contains("Received fatal alert")) {
        return Optional.of(new Listener(true, true, false, List.of()));
      }
      // A plaintext listener closes on a ClientHello; or nothing listens.
      return Optional.empty();
    }
  }

  private static Socket connect(InetSocketAddress address, int millis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, millis);
      socket.setSoTimeout(millis);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static Listener listener(
      boolean tls, boolean clientCertificate, SaslHandshakeResponse sasl) {
    boolean offered = sasl.data().errorCode() != Errors.ILLEGAL_SASL_STATE.code();
    return new Listener(
        tls,
        clientCertificate,
        offered,
        offered ? List.copyOf(sasl.data().mechanisms()) : List.of());
  }

  /**
   * The listener's answer to a {@code SaslHandshake}; empty when it answers something that is not
   * Kafka.
   *
   * @throws IOException when it closes the connection without an answer (EOFException), or does not
   *     answer in time
   */
  private static Optional<SaslHandshakeResponse> handshake(Socket socket, String mechanism)
      throws IOException {
    short version = 1;
    RequestHeader header =
        new RequestHeader(ApiKeys.SASL_HANDSHAKE, version, "streamlab-listener-probe", 1);
    ByteBuffer request =
        new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism(mechanism))
            .build(version)
            .serializeWithHeader(header);
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(request.remaining());
    out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int size = in.readInt(); // EOFException when the listener closes without an answer
    if (size <= 0 || size > 1 << 16) {
      return Optional.empty();
    }
    byte[] answer = new byte[size];
    in.readFully(answer);
    try {
      return Optional.of(
          (SaslHandshakeResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header));
    } catch (RuntimeException e) {
      // Not Kafka, or not the answer asked for.
      return Optional.empty();
    }
  }

  /** Accepts any certificate: the probe only asks what the listener speaks. */
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
}
