package dev.streamlab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.feed.BrokerSecurity;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.StatsAccumulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send} to a broker that takes SCRAM-SHA-512 over TLS only: through the settings the broker
 * wrote, and each way of getting them wrong, each told in one line.
 */
class SecuredSendCommandTest {

  @RegisterExtension
  static final EmbeddedKafka kafka = EmbeddedKafka.secured(BrokerSecurity.Mode.SASL_SSL);

  @TempDir Path dir;

  private static CommandRun send(String stdin, String topic, String... options) {
    String[] args = new String[6 + options.length];
    args[0] = "send";
    args[1] = "--bootstrap-server";
    args[2] = kafka.bootstrapServers();
    args[3] = "--topic";
    args[4] = topic;
    args[5] = "-";
    System.arraycopy(options, 0, args, 6, options.length);
    return CommandRun.of(stdin, args);
  }

  private static String json(List<String> lines) {
    StatsAccumulator numbers = new StatsAccumulator();
    long rejected = 0;
    for (String line : lines) {
      rejected += NumberLineParser.parse(line, numbers);
    }
    return LabFormat.json(numbers.toStats(), rejected, Algorithm.STABLE);
  }

  private static String clientProperties() {
    return kafka.security().clientProperties().toString();
  }

  /** A properties file of the broker's settings with {@code changes} over them. */
  private Path settings(String name, Map<String, String> changes, String... removed)
      throws Exception {
    java.util.Properties properties = new java.util.Properties();
    properties.putAll(kafka.clientSettings());
    for (String key : removed) {
      properties.remove(key);
    }
    properties.putAll(changes);
    Path file = dir.resolve(name);
    try (var out = Files.newOutputStream(file)) {
      properties.store(out, null);
    }
    return file;
  }

  /**
   * A properties file of the broker's settings with {@code changes} over them, whose values may
   * refer to other files through Kafka's FileConfigProvider ({@code ${file:PATH:KEY}}).
   */
  private Path settingsByFileReference(String name, Map<String, String> changes) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(changes);
    all.put("config.providers", "file");
    all.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    return settings(name, all);
  }

  private static void assertOneLineFailure(CommandRun run, String command, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.err()).startsWith(command + ": ").contains(message).doesNotContain("\tat ");
  }

  @Test
  void sendsThroughTheSettingsTheBrokerWroteAndItsSummaryIsExact() {
    List<String> lines = List.of("1 2 3", "4 5 oops", "1e9 -2.5");

    CommandRun run =
        send(
            String.join("\n", lines) + "\n",
            "secured",
            "--kafka-config",
            clientProperties(),
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(json(lines));
    assertThat(Topics.readAll(kafka.bootstrapServers(), kafka.clientSettings(), "secured"))
        .containsExactlyElementsOf(lines);
  }

  @Test
  void aPasswordKeptInAnotherFileIsReadThroughKafkasFileConfigProvider() throws Exception {
    Path secret = dir.resolve("secret.properties");
    Files.writeString(secret, "password=" + kafka.security().userPassword() + "\n");
    Path config =
        settingsByFileReference(
            "by-reference.properties",
            Map.of(
                "sasl.jaas.config",
                BrokerSecurity.jaas(BrokerSecurity.USER, "${file:" + secret + ":password}")));
    assertThat(Files.readString(config)).doesNotContain(kafka.security().userPassword());

    CommandRun run = send("7 8 9\n", "by-reference", "--kafka-config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Topics.readAll(kafka.bootstrapServers(), kafka.clientSettings(), "by-reference"))
        .containsExactly("7 8 9");
    assertThat(run.out() + run.err()).doesNotContain(kafka.security().userPassword());
  }

  @Test
  void aReferenceThatResolvesToNothingIsAUsageErrorThatNamesIt() throws Exception {
    Path config =
        settings(
            "unset.properties",
            Map.of(
                "config.providers", "env",
                "config.providers.env.class",
                    "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "sasl.jaas.config",
                    BrokerSecurity.jaas(
                        BrokerSecurity.USER, "${env:STREAMLAB_UNSET_PASSWORD_42}")));

    CommandRun run = send("1\n", "unset", "--kafka-config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("${env:STREAMLAB_UNSET_PASSWORD_42} in sasl.jaas.config resolves to nothing")
        .contains("is the variable set");
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureInOneLine() throws Exception {
    Path config =
        settings(
            "wrong.properties",
            Map.of(
                "sasl.jaas.config", BrokerSecurity.jaas(BrokerSecurity.USER, "not-the-password")));

    CommandRun run = send("1\n", "wrong", "--kafka-config", config.toString());

    assertOneLineFailure(run, "producer-cli send", "authentication failed (");
    assertThat(run.err()).contains("sasl.jaas.config").doesNotContain("not-the-password");
  }

  @Test
  void aCertificateNotSignedByATrustedAuthorityNamesTheTruststore() throws Exception {
    Path config =
        settings(
            "untrusted.properties", Map.of(), "ssl.truststore.type", "ssl.truststore.location");

    CommandRun run = send("1\n", "untrusted", "--kafka-config", config.toString());

    assertOneLineFailure(run, "producer-cli send", "the broker's TLS certificate is not trusted");
    assertThat(run.err()).contains("ssl.truststore.location");
  }

  @Test
  void aPlaintextClientIsToldWhichProtocolTheListenerSpeaks() {
    CommandRun run = send("1\n", "plain", "--timeout", "3s");

    assertOneLineFailure(
        run,
        "producer-cli send",
        kafka.bootstrapServers()
            + " is a SASL_SSL listener (SASL mechanisms SCRAM-SHA-512), but this client speaks"
            + " security.protocol=PLAINTEXT: set security.protocol=SASL_SSL with sasl.mechanism"
            + " and sasl.jaas.config in --kafka-config");
  }

  @Test
  void aTlsClientWithoutSaslIsToldThatTheListenerWantsSasl() throws Exception {
    Path config =
        settings(
            "ssl-only.properties",
            Map.of("security.protocol", "SSL"),
            "sasl.mechanism",
            "sasl.jaas.config");

    CommandRun run = send("1\n", "ssl-only", "--kafka-config", config.toString());

    assertOneLineFailure(
        run,
        "producer-cli send",
        kafka.bootstrapServers()
            + " is a SASL_SSL listener (SASL mechanisms SCRAM-SHA-512), but this client speaks"
            + " security.protocol=SSL");
  }

  @Test
  void theListenerIsAskedPastABootstrapBrokerThatIsDown() {
    CommandRun run =
        CommandRun.of(
            "1\n",
            "send",
            "--bootstrap-server",
            "127.0.0.1:1," + kafka.bootstrapServers(),
            "--topic",
            "plain-past-down",
            "--timeout",
            "30s",
            "-");

    assertOneLineFailure(
        run,
        "producer-cli send",
        kafka.bootstrapServers() + " is a SASL_SSL listener (SASL mechanisms SCRAM-SHA-512)");
  }

  @Test
  void aProtocolAndMechanismGivenByReferenceAreCheckedAsTheyResolve() throws Exception {
    Path secret = dir.resolve("protocol.properties");
    Files.writeString(secret, "protocol=SASL_SSL\nmechanism=SCRAM-SHA-512\n");
    Path config =
        settingsByFileReference(
            "by-reference-protocol.properties",
            Map.of(
                "security.protocol",
                "${file:" + secret + ":protocol}",
                "sasl.mechanism",
                "${file:" + secret + ":mechanism}"));

    CommandRun run = send("5 6\n", "by-reference-protocol", "--kafka-config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(
            Topics.readAll(
                kafka.bootstrapServers(), kafka.clientSettings(), "by-reference-protocol"))
        .containsExactly("5 6");
  }

  @Test
  void aMechanismTheListenerDoesNotOfferIsNamed() {
    CommandRun run =
        send(
            "1\n",
            "plain-mechanism",
            "--kafka-config",
            clientProperties(),
            "--kafka-property",
            "sasl.mechanism=PLAIN");

    assertOneLineFailure(
        run,
        "producer-cli send",
        kafka.bootstrapServers()
            + " offers SASL mechanisms SCRAM-SHA-512, not this client's sasl.mechanism=PLAIN");
  }

  @Test
  void aPasswordThatResolvesToAnEmptyValueIsAUsageErrorThatSaysSo() throws Exception {
    Path secret = dir.resolve("empty-secret.properties");
    Files.writeString(secret, "password=\n");
    Path config =
        settingsByFileReference(
            "empty.properties",
            Map.of(
                "sasl.jaas.config",
                BrokerSecurity.jaas(BrokerSecurity.USER, "${file:" + secret + ":password}")));

    CommandRun run = send("1\n", "empty", "--kafka-config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--kafka-config "
                + config
                + ": ${file:"
                + secret
                + ":password} in sasl.jaas.config resolves to an empty value");
  }

  @Test
  void aTruststoreThatIsNotThereIsAUsageErrorThatNamesIt() {
    CommandRun run =
        send(
            "1\n",
            "no-truststore",
            "--kafka-config",
            clientProperties(),
            "--kafka-property",
            "ssl.truststore.location=" + dir.resolve("gone.pem"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--kafka-property ssl.truststore.location names "
                + dir.resolve("gone.pem")
                + ", which is not there");
  }

  @Test
  void settingsKafkaWouldRefuseAreUsageErrorsThatNameTheOptionAndTheSetting() {
    assertUsageError(
        "--kafka-property security.protocol: Invalid value BOGUS for configuration"
            + " security.protocol",
        "--kafka-config",
        clientProperties(),
        "--kafka-property",
        "security.protocol=BOGUS");
    assertUsageError(
        "--kafka-property takes KEY=VALUE: one of them has no key", "--kafka-property", "=x");
    assertUsageError(
        "--kafka-property takes KEY=VALUE, not 'noequals'", "--kafka-property", "noequals");
    assertUsageError("--kafka-config takes a properties file's path", "--kafka-config=");
    assertUsageError(
        "--kafka-config " + dir + " is a directory, not a properties file",
        "--kafka-config",
        dir.toString());
  }

  private static void assertUsageError(String message, String... options) {
    CommandRun run = send("1\n", "refused", options);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).as(run.err()).contains("producer-cli send: " + message);
  }

  @Test
  void aTopicTheUserMayNotWriteIsAnAuthorizationFailureInOneLine() throws Exception {
    String password = "guest-password-1";
    BrokerSecurity.upsertUser(kafka.admin(), "guest", password);
    Path config =
        settings(
            "guest.properties", Map.of("sasl.jaas.config", BrokerSecurity.jaas("guest", password)));

    CommandRun run = send("1\n", "guarded", "--kafka-config", config.toString());

    assertOneLineFailure(run, "producer-cli send", "not authorized to use topic guarded");
    assertThat(run.err()).contains("WRITE");
  }

  @Test
  void settingsTheSenderMakesItselfAreUsageErrors() {
    CommandRun run =
        send("1\n", "reserved", "--kafka-config", clientProperties(), "--kafka-property", "acks=1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--kafka-property acks is set by the command itself: every line is written once");
  }

  @Test
  void aMissingSettingsFileIsAUsageError() {
    CommandRun run =
        send("1\n", "missing", "--kafka-config", dir.resolve("nowhere.properties").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--kafka-config " + dir.resolve("nowhere.properties") + ": no such file");
  }
}
