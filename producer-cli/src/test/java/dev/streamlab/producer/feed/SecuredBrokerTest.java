package dev.streamlab.producer.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlab.producer.kafka.ClientSettings;
import dev.streamlab.testkit.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker in its secured modes: what it writes, whom it lets in, what a restart keeps.
 */
class SecuredBrokerTest {

  @TempDir Path dir;

  private static EmbeddedKafkaBroker start(BrokerSecurity.Mode mode, Path dataDir, int port)
      throws Exception {
    BrokerSecurity security = BrokerSecurity.prepare(mode, dataDir, "127.0.0.1");
    return EmbeddedKafkaBroker.startSecured("127.0.0.1", port, dataDir, security);
  }

  /** A properties file's settings, read as --kafka-config reads it. */
  private static Map<String, String> load(Path file) {
    return ClientSettings.of(file, Map.of()).asMap();
  }

  @Test
  void saslSslWritesItsClientsFilesPrivatelyAndARestartIsTheSameBrokerToThem() throws Exception {
    Path data = dir.resolve("kafka");
    String caBefore;
    Map<String, String> settings;
    int port;
    try (EmbeddedKafkaBroker broker = start(BrokerSecurity.Mode.SASL_SSL, data, 0)) {
      port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
      settings = load(data.resolve("client.properties"));
      assertThat(settings)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry(
              "ssl.truststore.location", data.resolve("ca.pem").toAbsolutePath().toString());
      Topics.send(broker.bootstrapServers(), settings, "kept", "1 2 3");
      caBefore = Files.readString(data.resolve("ca.pem"));
    }
    for (String secret :
        List.of(
            "client.properties",
            "librdkafka.properties",
            "secrets.properties",
            "ca.p12",
            "broker.p12")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(secret))))
          .as(secret)
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(data.resolve("ca.pem")));
    assertThat(ca.getBasicConstraints()).as("a certificate authority").isGreaterThanOrEqualTo(0);
    Map<String, String> librdkafka = load(data.resolve("librdkafka.properties"));
    assertThat(librdkafka)
        .containsEntry("security.protocol", "sasl_ssl")
        .containsEntry("sasl.username", BrokerSecurity.USER)
        .containsEntry("ssl.ca.location", data.resolve("ca.pem").toAbsolutePath().toString());
    assertThat(settings.get("sasl.jaas.config"))
        .contains("password=\"" + librdkafka.get("sasl.password") + "\"");

    try (EmbeddedKafkaBroker again = start(BrokerSecurity.Mode.SASL_SSL, data, port)) {
      assertThat(Files.readString(data.resolve("ca.pem"))).isEqualTo(caBefore);
      assertThat(load(data.resolve("client.properties"))).isEqualTo(settings);
      assertThat(Topics.readAll(again.bootstrapServers(), settings, "kept"))
          .containsExactly("1 2 3");
    }
  }

  @Test
  void noPlaintextListenerIsLeftForClients() throws Exception {
    try (EmbeddedKafkaBroker broker = start(BrokerSecurity.Mode.SASL_SSL, dir.resolve("k"), 0);
        Admin plaintext =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
      assertThatThrownBy(() -> plaintext.describeCluster().clusterId().get())
          .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
  }

  @Test
  void sslTakesTheClientCertificateItWroteAndRefusesAClientWithout() throws Exception {
    Path data = dir.resolve("mtls");
    try (EmbeddedKafkaBroker broker = start(BrokerSecurity.Mode.SSL, data, 0)) {
      Map<String, String> settings = load(data.resolve("client.properties"));
      assertThat(settings).containsEntry("security.protocol", "SSL");
      Topics.send(broker.bootstrapServers(), settings, "mtls", "4 5 6");
      assertThat(Topics.readAll(broker.bootstrapServers(), settings, "mtls"))
          .containsExactly("4 5 6");
      assertThat(Files.readString(data.resolve("client.key")))
          .startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(Files.readString(data.resolve("client.pem")))
          .startsWith("-----BEGIN CERTIFICATE-----");

      Map<String, String> withoutCertificate = new HashMap<>(settings);
      withoutCertificate.keySet().removeIf(key -> key.startsWith("ssl.keystore."));
      assertThatThrownBy(
              () -> Topics.send(broker.bootstrapServers(), withoutCertificate, "mtls", "7"))
          .hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }
}
