package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates of a secured broker, made once with the JDK's {@code keytool} (EC P-256, PKCS12
 * stores under one password) in its security directory: a certificate authority of its own ({@code
 * ca.p12}, and {@value #CA_PEM} for clients), the broker's ({@code broker.p12}, common name {@value
 * #BROKER_NAME}), and in {@link BrokerSecurity.Mode#SSL} the client's ({@code client.p12}, and
 * {@value #CLIENT_PEM} and {@value #CLIENT_KEY} for clients that take PEM files).
 */
final class BrokerCertificates {

  static final String CA_PEM = "ca.pem";
  static final String CLIENT_PEM = "client.pem";
  static final String CLIENT_KEY = "client.key";

  /** The common name of the broker's certificate: the user its own connections are. */
  static final String BROKER_NAME = "streamlab-broker";

  private static final String STORE_PASSWORD_ENV = "STREAMLAB_STORE_PASSWORD";

  private final Path dir;
  private final String storePassword;

  BrokerCertificates(Path dir, String storePassword) {
    this.dir = dir;
    this.storePassword = storePassword;
  }

  /**
   * Makes what is missing: the authority, the broker's certificate for {@code host} (again if it
   * lacks one of its names), and in {@link BrokerSecurity.Mode#SSL} the client's.
   */
  void make(String host, BrokerSecurity.Mode mode) throws IOException {
    if (!Files.exists(dir.resolve("ca.p12")) || !Files.exists(dir.resolve(CA_PEM))) {
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
    if (mode == BrokerSecurity.Mode.SSL && !Files.exists(dir.resolve("client.p12"))) {
      signed("client", BrokerSecurity.USER, null);
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
      DataDirectories.writeSecret(
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
