package dev.streamlab.producer.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Settings of a command's Kafka clients beyond where Kafka is: security, timeouts, … As Kafka's own
 * tools take them ({@code --command-config}, kcat's {@code -F} and {@code -X}): a Java properties
 * file, and single settings that win over it.
 *
 * <p>Secrets need not be written in the file: a value may hold {@code ${env:NAME}} or {@code
 * ${file:PATH:KEY}}, resolved by each client through Kafka's config providers when the file names
 * them ({@code config.providers}). The settings given to the clients are the ones written, not the
 * resolved ones, so a secret travels nowhere as plain text that its reference did not (to a Spark
 * executor, say, which resolves it again where it runs).
 *
 * <p>{@link #toString()} names the settings, never their values.
 */
public final class ClientSettings {

  /** The settings that name a file this machine's clients read. */
  private static final Set<String> FILES =
      Set.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);

  /** A JAAS option {@code password=""}. */
  private static final Pattern EMPTY_PASSWORD = Pattern.compile("\\bpassword\\s*=\\s*\"\"");

  /** The settings Kafka's consumers, producers and admin clients know, with their types. */
  private static final Map<String, ConfigDef.ConfigKey> KNOWN = known();

  /**
   * A reference to a config provider's value: {@code ${provider:[path:]key}}, as Kafka reads it.
   */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)}");

  /** Declared after the constants its construction reads. */
  private static final ClientSettings NONE = new ClientSettings(Map.of(), null, Set.of());

  private final Map<String, String> settings;
  private final Path file;
  private final Set<String> fromProperties;

  /**
   * The settings as a client sees them, references resolved: never printed, never given to a client
   * (which resolves them itself), only looked at.
   */
  private final Map<String, String> resolved;

  /** A reference to a config provider, {@code text}, in the value of the setting {@code key}. */
  private record Reference(String key, String text) {}

  /**
   * @throws IllegalArgumentException if a reference resolves to nothing or to an empty value
   */
  private ClientSettings(Map<String, String> settings, Path file, Set<String> fromProperties) {
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.file = file;
    this.fromProperties = Set.copyOf(fromProperties);
    this.resolved = resolve();
  }

  private static Map<String, ConfigDef.ConfigKey> known() {
    Map<String, ConfigDef.ConfigKey> known = new HashMap<>();
    known.putAll(AdminClientConfig.configDef().configKeys());
    known.putAll(ProducerConfig.configDef().configKeys());
    known.putAll(ConsumerConfig.configDef().configKeys());
    return Map.copyOf(known);
  }

  /** No settings: a plaintext client with Kafka's defaults. */
  public static ClientSettings none() {
    return NONE;
  }

  /**
   * The settings of {@code file} (none if null), {@code properties} winning over them.
   *
   * @throws IllegalArgumentException naming the option and the setting (never its value, which may
   *     be a secret) if the file cannot be read; a key is empty; a reference to a config provider
   *     resolves to nothing (an unset variable) or to an empty value; a value is not one Kafka's
   *     clients take ({@code security.protocol=TLS}, say); a keystore or truststore file is not
   *     there; or {@code sasl.jaas.config}'s password is empty (which Kafka's SCRAM client answers
   *     with silence, not an error)
   */
  public static ClientSettings of(Path file, Map<String, String> properties) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (file != null) {
      settings.putAll(read(file));
    }
    for (Map.Entry<String, String> property : properties.entrySet()) {
      if (property.getKey().isBlank()) {
        throw new IllegalArgumentException(
            "--kafka-property takes KEY=VALUE: one of them has no key");
      }
      settings.put(property.getKey().strip(), property.getValue());
    }
    ClientSettings result = new ClientSettings(settings, file, properties.keySet());
    result.check();
    return result;
  }

  private static Map<String, String> read(Path file) {
    if (file.toString().isBlank()) {
      throw new IllegalArgumentException("--kafka-config takes a properties file's path");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          "--kafka-config " + file + " is a directory, not a properties file");
    }
    java.util.Properties properties = new java.util.Properties();
    // As Kafka's tools read such a file (Utils.loadProps): ISO 8859-1, \\uXXXX for the rest.
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--kafka-config " + file + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--kafka-config " + file + " cannot be read: " + e.getMessage());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      settings.put(key, properties.getProperty(key).strip());
    }
    return settings;
  }

  /**
   * Checks the settings as a client will see them, their references resolved: a client would take
   * {@code ${env:UNSET}} as the value itself (a password, say), and fail later with a message that
   * does not name it; a wrong value or a missing truststore, with a bare "Failed to construct kafka
   * producer".
   */
  private void check() {
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      String value = resolved.get(key);
      checkValue(key, value, !value.equals(setting.getValue()));
      if (FILES.contains(key) && !value.isEmpty() && !Files.isRegularFile(Path.of(value))) {
        throw new IllegalArgumentException(
            (fromProperties.contains(key) ? "--kafka-property " : where(key) + ": ")
                + key
                + " names "
                + (value.equals(setting.getValue()) ? value : "the file its reference resolves to")
                + ", which "
                + (Files.exists(Path.of(value)) ? "is not a file" : "is not there")
                + (key.contains("truststore")
                    ? " (the certificates of the authority that signed the broker's)"
                    : " (this client's own certificate and key)"));
      }
    }
    String jaas = resolved.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas != null && EMPTY_PASSWORD.matcher(jaas).find()) {
      throw new IllegalArgumentException(
          where(SaslConfigs.SASL_JAAS_CONFIG)
              + ": the password in sasl.jaas.config is empty"
              + (REFERENCE.matcher(settings.get(SaslConfigs.SASL_JAAS_CONFIG)).find()
                  ? " (its reference resolves to an empty value: is the variable set, and not"
                      + " empty?)"
                  : ""));
    }
  }

  /**
   * The settings with their references to config providers resolved, as a client resolves them.
   *
   * @throws IllegalArgumentException if a reference resolves to nothing or to an empty value
   */
  private Map<String, String> resolve() {
    if (!settings.containsKey("config.providers")) {
      return settings;
    }
    Set<String> providers = Set.of(settings.get("config.providers").split("\\s*,\\s*"));
    // Each reference alone, beside the settings, so that one that resolves to "" is seen as such.
    Map<String, String> asked = new LinkedHashMap<>(settings);
    Map<String, Reference> references = new LinkedHashMap<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      Matcher reference = REFERENCE.matcher(setting.getValue());
      while (reference.find()) {
        if (providers.contains(reference.group(1).strip())) {
          String probe = "streamlab.reference." + references.size();
          references.put(probe, new Reference(setting.getKey(), reference.group()));
          asked.put(probe, reference.group());
        }
      }
    }
    Map<String, Object> answered;
    try {
      answered = new AbstractConfig(new ConfigDef(), asked, false).originals();
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException(
          where("config.providers") + ": its config providers fail: " + e.getMessage());
    }
    for (Map.Entry<String, Reference> probe : references.entrySet()) {
      Reference reference = probe.getValue();
      Object value = answered.get(probe.getKey());
      boolean unresolved = reference.text().equals(value);
      if (unresolved || "".equals(value)) {
        throw new IllegalArgumentException(
            where(reference.key())
                + ": "
                + reference.text()
                + " in "
                + reference.key()
                + (unresolved ? " resolves to nothing" : " resolves to an empty value")
                + (reference.text().startsWith("${env:")
                    ? (unresolved
                        ? " (is the variable set in this environment?)"
                        : " (the variable is set, but empty)")
                    : unresolved
                        ? " (is the file there, and does it hold the key?)"
                        : " (the key is there, but empty)"));
      }
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (String key : settings.keySet()) {
      result.put(key, String.valueOf(answered.get(key)));
    }
    return result;
  }

  /**
   * Refuses a value that Kafka's clients do not take for a setting they know; a setting they do not
   * know is theirs to warn about, as they do.
   */
  private void checkValue(String key, String value, boolean referenced) {
    ConfigDef.ConfigKey known = KNOWN.get(key);
    if (known == null || known.type == ConfigDef.Type.CLASS) {
      // A class is the client's to load: a Spark job may find it in a jar given to spark-submit.
      return;
    }
    try {
      Object parsed = ConfigDef.parseType(key, value, known.type);
      if (known.validator != null) {
        known.validator.ensureValid(key, parsed);
      }
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new IllegalArgumentException(
          where(key)
              + ": "
              + (referenced
                  ? "the value that " + key + "'s reference resolves to is not one Kafka takes"
                  : String.valueOf(e.getMessage()).strip()));
    }
  }

  private String where(String key) {
    return fromProperties.contains(key) || file == null
        ? "--kafka-property " + key
        : "--kafka-config " + file;
  }

  /** The settings, as written. */
  public Map<String, String> asMap() {
    return settings;
  }

  /**
   * {@code security.protocol}, a reference to a config provider resolved; {@code PLAINTEXT} when
   * not set.
   */
  public String protocol() {
    return resolved
        .getOrDefault("security.protocol", "PLAINTEXT")
        .strip()
        .toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * {@code sasl.mechanism}, a reference to a config provider resolved; Kafka's default when not
   * set.
   */
  public String saslMechanism() {
    return resolved
        .getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM)
        .strip();
  }

  /**
   * The first of these settings that {@code reserved} holds, if any: those a command makes itself.
   */
  public java.util.Optional<String> firstOf(Set<String> reserved) {
    return settings.keySet().stream().filter(reserved::contains).findFirst();
  }

  /** A client's configuration: these settings, then {@code own} over them. */
  public Map<String, Object> with(Map<String, ?> own) {
    Map<String, Object> config = new HashMap<>(settings);
    config.putAll(own);
    return config;
  }

  /** The names of the settings, not their values (which may be secrets). */
  @Override
  public String toString() {
    return "ClientSettings" + new TreeSet<>(settings.keySet());
  }
}
