package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
 *   <li>{@value #CA_PEM}: the authority's certificate, what clients trust;
 *   <li>{@value #CLIENT_PROPERTIES}: the settings of a Java client ({@code --kafka-config}, Kafka's
 *       {@code --command-config});
 *   <li>{@value #LIBRDKAFKA_PROPERTIES}: the same for librdkafka's clients ({@code kcat -F});
 *   <li>in SSL mode, {@value #CLIENT_PEM} and {@value #CLIENT_KEY}: the client's certificate and
 *       key, for clients that take PEM files;
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

  static final String CA_PEM = "ca.pem";
  static final String CLIENT_PROPERTIES = "client.properties";
  static final String LIBRDKAFKA_PROPERTIES = "librdkafka.properties";
  static final String CLIENT_PEM = "client.pem";
  static final String CLIENT_KEY = "client.key";
  static final String SECRETS = "secrets.properties";

  private static final String BROKER_NAME = "streamlab-broker";
  private static final String STORE_PASSWORD_ENV = "STREAMLAB_STORE_PASSWORD";
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
    Properties secrets = secrets(dir);
    BrokerSecurity security =
        new BrokerSecurity(
            mode,
            dir.toAbsolutePath(),
            secrets.getProperty("store.password"),
            secrets.getProperty("user.password"));
    security.makeCertificates(host);
    return security;
  }

  /** This broker's mode. */
  public Mode mode() {
    return mode;
  }

  /** The settings a Java client needs, the file {@value #CLIENT_PROPERTIES} holds. */
  public Map<String, String> clientSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("security.protocol", mode.protocol());
    if (mode == Mode.SASL_SSL) {
      settings.put("sasl.mechanism", MECHANISM);
      settings.put("sasl.jaas.config", jaas(USER, userPassword));
    } else {
      settings.put("ssl.keystore.type", "PKCS12");
      settings.put("ssl.keystore.location", dir.resolve("client.p12").toString());
      settings.put("ssl.keystore.password", storePassword);
    }
    settings.put("ssl.truststore.type", "PEM");
    settings.put("ssl.truststore.location", caPem().toString());
    return settings;
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
    return dir.resolve(CA_PEM);
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
    p.put("super.users", "User:" + BROKER_NAME + ";User:" + USER);
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
    writeSecret(clientProperties(), java.toString());

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
          .append(dir.resolve(CLIENT_PEM))
          .append("\nssl.key.location=")
          .append(dir.resolve(CLIENT_KEY))
          .append('\n');
    }
    librdkafka.append("ssl.ca.location=").append(caPem()).append('\n');
    writeSecret(librdkafkaProperties(), librdkafka.toString());
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

  // ----- certificates, made once with the JDK's keytool

  private void makeCertificates(String host) throws IOException {
    if (!Files.exists(dir.resolve("ca.p12")) || !Files.exists(caPem())) {
      Files.deleteIfExists(dir.resolve("broker.p12"));
      Files.deleteIfExists(dir.resolve("client.p12"));
      keytool(
          "-genkeypair",
          "-alias",
          "ca",
          "-dname",
          "CN=streamlab CA",
          "-ext",
          "bc:c",
          "-validity",
          "3650",
          "-keystore",
          "ca.p12.tmp");
      move("ca.p12.tmp", "ca.p12");
      keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem.tmp");
      move("ca.pem.tmp", CA_PEM);
    }
    List<String> names = names(host);
    if (!Files.exists(dir.resolve("broker.p12")) || !certificateNames().containsAll(names)) {
      signed("broker", BROKER_NAME, String.join(",", names));
    }
    if (mode == Mode.SSL && !Files.exists(dir.resolve("client.p12"))) {
      signed("client", USER, null);
      writePem();
    }
  }

  /** The names the broker's certificate must hold: localhost, 127.0.0.1, and {@code host}. */
  private static List<String> names(String host) throws IOException {
    List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
    InetAddress address = InetAddress.getByName(host);
    if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
      boolean literal = host.contains(":") || host.equals(address.getHostAddress());
      names.add((literal ? "ip:" : "dns:") + host);
    }
    return names;
  }

  /** The names in the broker's certificate, as {@code dns:NAME} or {@code ip:ADDRESS}. */
  private List<String> certificateNames() throws IOException {
    List<String> names = new ArrayList<>();
    try {
      X509Certificate certificate = (X509Certificate) load("broker.p12").getCertificate("broker");
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          int type = (Integer) name.get(0);
          names.add((type == 7 ? "ip:" : "dns:") + name.get(1));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the broker's certificate: " + e.getMessage(), e);
    }
    return names;
  }

  /** A key pair in {@code NAME.p12} whose certificate the authority signs, with {@code names}. */
  private void signed(String name, String commonName, String names) throws IOException {
    String store = name + ".p12.tmp";
    Files.deleteIfExists(dir.resolve(store));
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-dname",
        "CN=" + commonName,
        "-validity",
        "825",
        "-keystore",
        store);
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".crt",
                "-validity",
                "825",
                "-ext",
                "eku=serverAuth,clientAuth"));
    if (names != null) {
      sign.addAll(List.of("-ext", "san=" + names));
    }
    keytool(sign.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", CA_PEM, "-keystore", store);
    keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
    Files.delete(dir.resolve(name + ".csr"));
    Files.delete(dir.resolve(name + ".crt"));
    move(store, name + ".p12");
  }

  /** The client's certificate chain and key as PEM, for clients that do not read PKCS12. */
  private void writePem() throws IOException {
    KeyStore store = load("client.p12");
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    try {
      StringBuilder chain = new StringBuilder();
      for (Certificate certificate : store.getCertificateChain("client")) {
        chain.append(pem("CERTIFICATE", base64.encodeToString(certificate.getEncoded())));
      }
      Files.writeString(dir.resolve(CLIENT_PEM), chain.toString());
      Key key = store.getKey("client", storePassword.toCharArray());
      writeSecret(
          dir.resolve(CLIENT_KEY), pem("PRIVATE KEY", base64.encodeToString(key.getEncoded())));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the client's key: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, String base64) {
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private KeyStore load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, storePassword.toCharArray());
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + dir.resolve(file) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the JDK's keytool in {@link #dir} on PKCS12 stores with EC P-256 keys; the stores'
   * password goes by the environment, not the command line, which {@code ps} shows.
   */
  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    if (!args[0].equals("-exportcert") && !args[0].equals("-certreq")) {
      command.addAll(List.of("-storetype", "PKCS12"));
    }
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
    }
    command.add("-storepass:env");
    command.add(STORE_PASSWORD_ENV);
    command.add("-J-XX:TieredStopAtLevel=1");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put(STORE_PASSWORD_ENV, storePassword);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "keytool " + args[0] + " failed in " + dir + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the broker's certificates", e);
    }
    for (String file : new String[] {"ca.p12", "ca.p12.tmp", "broker.p12.tmp", "client.p12.tmp"}) {
      ownerOnly(dir.resolve(file));
    }
  }

  private void move(String from, String to) throws IOException {
    Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.REPLACE_EXISTING);
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
      writeSecret(file, text.toString());
    }
    return secrets;
  }

  /** 24 random bytes, URL-safe Base64: 192 bits, nothing a properties file or JAAS would quote. */
  private static String password() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Writes {@code text} to {@code file}, readable by its owner only from the start. */
  private static void writeSecret(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot write " + file + ": " + tmp + " appeared meanwhile", e);
    }
    try (OutputStream out = Files.newOutputStream(tmp)) {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void ownerOnly(Path file) throws IOException {
    if (Files.exists(file)) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Not a POSIX file system: its own rules apply.
      }
    }
  }
}
