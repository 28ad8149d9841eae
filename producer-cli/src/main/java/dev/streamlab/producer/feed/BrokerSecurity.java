package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * How a secured embedded broker authenticates its clients, and the files they need, kept in the
 * broker's data directory so that a restarted broker is the same one to them.
 *
 * <ul>
 *   <li>{@link Mode#SASL_SSL}: SCRAM-SHA-512 over TLS. The user {@value #USER} gets a random
 *       password.
 *   <li>{@link Mode#SSL}: mutual TLS. The user {@value #USER} is the client certificate's common
 *       name.
 * </ul>
 *
 * <p>Either way the broker's certificate is signed by a certificate authority of its own, made on
 * first use with the JDK's {@code keytool} (EC P-256), for {@code localhost}, {@code 127.0.0.1} and
 * the address the broker listens on. The files, beside Kafka's log:
 *
 * <ul>
 *   <li>{@value BrokerCertificates#CA_PEM}: the authority's certificate, what clients trust;
 *   <li>{@value #CLIENT_PROPERTIES}: the settings of a Java client ({@code --kafka-config}, Kafka's
 *       {@code --command-config});
 *   <li>{@value #LIBRDKAFKA_PROPERTIES}: the same for librdkafka's clients ({@code kcat -F});
 *   <li>in SSL mode, {@value BrokerCertificates#CLIENT_PEM} and {@value
 *       BrokerCertificates#CLIENT_KEY}: the client's certificate and key, for clients that take PEM
 *       files;
 *   <li>the secrets, readable by their owner only: {@code ca.p12} (the authority's key), {@code
 *       broker.p12}, {@code client.p12}, and {@value #SECRETS} (the stores' and the user's
 *       passwords).
 * </ul>
 *
 * <p>Inside, the broker's own connections (to its controller, and between brokers) use mutual TLS
 * on loopback, and an authorizer denies what no ACL allows, except to the broker and {@value
 * #USER}, its super users: another user gets only what ACLs grant.
 */
public final class BrokerSecurity {

  /** How clients reach a secured broker. */
  public enum Mode {
    /** No security: the default, for a broker that only this machine reaches. */
    PLAINTEXT,
    /** SCRAM-SHA-512 over TLS. */
    SASL_SSL,
    /** Mutual TLS: a client is whom its certificate names. */
    SSL;

    /** What Kafka calls this protocol ({@code security.protocol}). */
    public String protocol() {
      return name();
    }
  }

  /** The user a secured broker creates, one of its super users. */
  public static final String USER = "streamlab";

  /** The SASL mechanism of {@link Mode#SASL_SSL}. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  static final String CLIENT_PROPERTIES = "client.properties";
  static final String LIBRDKAFKA_PROPERTIES = "librdkafka.properties";
  static final String SECRETS = "secrets.properties";

  /** The files a client takes from the security directory. */
  public static final List<String> CLIENT_FILES =
      List.of(CLIENT_PROPERTIES, LIBRDKAFKA_PROPERTIES, BrokerCertificates.CA_PEM);

  private static final String LOCK = "security.lock";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Mode mode;
  private final Path dir;
  private final String storePassword;
  private final String userPassword;

  private BrokerSecurity(Mode mode, Path dir, String storePassword, String userPassword) {
    this.mode = mode;
    this.dir = dir;
    this.storePassword = storePassword;
    this.userPassword = userPassword;
  }

  /**
   * The security of a broker on {@code host} keeping its files in {@code dir}: what is already
   * there, or made now (certificates take a few seconds, once).
   *
   * @throws IllegalArgumentException if {@code mode} is {@link Mode#PLAINTEXT}
   * @throws IllegalStateException if {@code keytool} fails
   */
  public static BrokerSecurity prepare(Mode mode, Path dir, String host) throws IOException {
    if (mode == Mode.PLAINTEXT) {
      throw new IllegalArgumentException("mode must be SASL_SSL or SSL, was " + mode);
    }
    Files.createDirectories(dir);
    try {
      // Keys and passwords are kept here: the directory is its owner's alone.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: its own rules apply.
    }
    return locked(
        dir,
        () -> {
          Properties secrets = secrets(dir);
          BrokerSecurity security =
              new BrokerSecurity(
                  mode,
                  dir.toAbsolutePath(),
                  secrets.getProperty("store.password"),
                  secrets.getProperty("user.password"));
          new BrokerCertificates(security.dir, security.storePassword).make(host, mode);
          return security;
        });
  }

  /**
   * Does {@code work} holding the lock of {@code dir}, which the brokers of a quorum on one machine
   * share: one makes what is missing, the others find it made.
   */
  private static <T> T locked(Path dir, IoWork<T> work) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return work.run();
    }
  }

  /** Work on files. */
  private interface IoWork<T> {
    T run() throws IOException;
  }

  /** Where its files are. */
  public Path dir() {
    return dir;
  }

  /** This broker's mode. */
  public Mode mode() {
    return mode;
  }

  /** The settings a Java client needs, the file {@value #CLIENT_PROPERTIES} holds. */
  public Map<String, String> clientSettings() {
    return clientSettings(clientSecret());
  }

  /**
   * The settings a Java client needs, with {@code secret} in place of {@link #clientSecret()}: a
   * reference to a config provider, say, {@code ${env:KAFKA_PASSWORD}}.
   */
  public Map<String, String> clientSettings(String secret) {
    Map<String, String> settings = new HashMap<>();
    settings.put("security.protocol", mode.protocol());
    if (mode == Mode.SASL_SSL) {
      settings.put("sasl.mechanism", MECHANISM);
      settings.put("sasl.jaas.config", jaas(USER, secret));
    } else {
      settings.put("ssl.keystore.type", "PKCS12");
      settings.put("ssl.keystore.location", dir.resolve("client.p12").toString());
      settings.put("ssl.keystore.password", secret);
    }
    settings.put("ssl.truststore.type", "PEM");
    settings.put("ssl.truststore.location", caPem().toString());
    return settings;
  }

  /**
   * The one secret of the client settings: the password of {@link #USER} ({@link Mode#SASL_SSL}),
   * or of the client's key store ({@link Mode#SSL}).
   */
  public String clientSecret() {
    return mode == Mode.SASL_SSL ? userPassword : storePassword;
  }

  /**
   * Gives {@code user} the SCRAM-SHA-512 {@code password} (a new user, or a new password), and
   * waits until the broker knows it: a client that logs in next is not refused.
   *
   * @param admin a client of the broker allowed to alter users (a super user)
   * @throws IllegalStateException if the broker refuses, or does not answer in 30 s
   */
  public static void upsertUser(Admin admin, String user, String password) {
    try {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin
          .describeUserScramCredentials(List.of(user))
          .all()
          .get(30, TimeUnit.SECONDS)
          .containsKey(user)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not learn user " + user + " in 30 s");
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot create the broker's user " + user + ": " + cause.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the broker's user " + user, e);
    }
  }

  /** The JAAS line of a SCRAM login. */
  public static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The certificate authority's certificate, PEM. */
  public Path caPem() {
    return dir.resolve(BrokerCertificates.CA_PEM);
  }

  /** The Java client's settings, a properties file. */
  public Path clientProperties() {
    return dir.resolve(CLIENT_PROPERTIES);
  }

  /** The librdkafka client's settings ({@code kcat -F}). */
  public Path librdkafkaProperties() {
    return dir.resolve(LIBRDKAFKA_PROPERTIES);
  }

  /** The password of {@link #USER} ({@link Mode#SASL_SSL}). */
  public String userPassword() {
    return userPassword;
  }

  /**
   * The broker's settings for its client listener {@code clients}, its own listener {@code broker}
   * and its controller listener {@code controller}.
   */
  Map<String, String> brokerSettings(String clients, String broker, String controller) {
    Map<String, String> p = new HashMap<>();
    p.put(
        "listener.security.protocol.map",
        clients + ":" + mode.protocol() + "," + broker + ":SSL," + controller + ":SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", caPem().toString());
    // The broker's own connections present its certificate: it is whom the authorizer trusts.
    p.put(listener(broker) + "ssl.client.auth", "required");
    p.put(listener(controller) + "ssl.client.auth", "required");
    if (mode == Mode.SSL) {
      p.put(listener(clients) + "ssl.client.auth", "required");
    } else {
      p.put(listener(clients) + "sasl.enabled.mechanisms", MECHANISM);
      p.put(
          listener(clients) + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    // A certificate's user is its common name, so that User:streamlab is the same user either way.
    p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]*)$/$1/,DEFAULT");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + BrokerCertificates.BROKER_NAME + ";User:" + USER);
    return p;
  }

  /** The settings of the broker's own admin client, on its {@code broker} listener. */
  Map<String, Object> adminSettings(String bootstrap) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", "SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", caPem().toString());
    return p;
  }

  /** Writes the clients' files for a broker at {@code bootstrap}. */
  void writeClientFiles(String bootstrap) throws IOException {
    locked(
        dir,
        () -> {
          writeClientFilesLocked(bootstrap);
          return null;
        });
  }

  private void writeClientFilesLocked(String bootstrap) throws IOException {
    String what =
        mode == Mode.SASL_SSL
            ? MECHANISM + " over TLS, user " + USER
            : "mutual TLS, the client certificate of user " + USER;
    StringBuilder java = new StringBuilder();
    java.append("# Kafka client settings for the broker at ")
        .append(bootstrap)
        .append(": ")
        .append(what)
        .append(".\n# Written by 'producer-cli broker'. For Java clients: lab-cli and producer-cli")
        .append(" --kafka-config,\n# Kafka's --command-config, --producer.config,")
        .append(" --consumer.config.\n");
    clientSettings().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> java.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n'));
    DataDirectories.writeSecret(clientProperties(), java.toString());

    StringBuilder librdkafka = new StringBuilder();
    librdkafka
        .append("# librdkafka settings for the broker at ")
        .append(bootstrap)
        .append(": ")
        .append(what)
        .append(".\n# Written by 'producer-cli broker'. For kcat -F, and confluent-kafka's")
        .append(" clients.\n")
        .append("security.protocol=")
        .append(mode.protocol().toLowerCase(Locale.ROOT))
        .append('\n');
    if (mode == Mode.SASL_SSL) {
      librdkafka
          .append("sasl.mechanisms=")
          .append(MECHANISM)
          .append("\nsasl.username=")
          .append(USER)
          .append("\nsasl.password=")
          .append(userPassword)
          .append('\n');
    } else {
      librdkafka
          .append("ssl.certificate.location=")
          .append(dir.resolve(BrokerCertificates.CLIENT_PEM))
          .append("\nssl.key.location=")
          .append(dir.resolve(BrokerCertificates.CLIENT_KEY))
          .append('\n');
    }
    librdkafka.append("ssl.ca.location=").append(caPem()).append('\n');
    DataDirectories.writeSecret(librdkafkaProperties(), librdkafka.toString());
  }

  private static String listener(String name) {
    return "listener.name." + name.toLowerCase(Locale.ROOT) + ".";
  }

  /**
   * A value as {@link Properties#load(InputStream)} reads it back: backslashes doubled, characters
   * beyond ASCII as {@code \\uXXXX} (a path may hold them; the file is read as ISO 8859-1).
   */
  private static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\') {
        escaped.append("\\\\");
      } else if (c > 0x7e) {
        escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  // ----- secrets

  /** The passwords kept in {@value #SECRETS}, made on first use. */
  private static Properties secrets(Path dir) throws IOException {
    Path file = dir.resolve(SECRETS);
    Properties secrets = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        secrets.load(in);
      }
    }
    boolean changed = false;
    for (String key : new String[] {"store.password", "user.password"}) {
      if (secrets.getProperty(key, "").isEmpty()) {
        secrets.setProperty(key, password());
        changed = true;
      }
    }
    if (changed) {
      StringBuilder text = new StringBuilder("# The embedded broker's passwords; keep private.\n");
      secrets.stringPropertyNames().stream()
          .sorted()
          .forEach(
              key -> text.append(key).append('=').append(secrets.getProperty(key)).append('\n'));
      DataDirectories.writeSecret(file, text.toString());
    }
    return secrets;
  }

  /** 24 random bytes, URL-safe Base64: 192 bits, nothing a properties file or JAAS would quote. */
  private static String password() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
