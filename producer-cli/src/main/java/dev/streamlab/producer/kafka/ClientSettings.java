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
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

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

  private static final ClientSettings NONE = new ClientSettings(Map.of(), null);

  /**
   * A reference to a config provider's value: {@code ${provider:[path:]key}}, as Kafka reads it.
   */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)}");

  private final Map<String, String> settings;
  private final Path file;

  private ClientSettings(Map<String, String> settings, Path file) {
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.file = file;
  }

  /** No settings: a plaintext client with Kafka's defaults. */
  public static ClientSettings none() {
    return NONE;
  }

  /**
   * The settings of {@code file} (none if null), {@code properties} winning over them.
   *
   * @throws IllegalArgumentException if the file cannot be read, or one of its references to a
   *     config provider resolves to nothing (an unset variable, say), naming the setting, not its
   *     value
   */
  public static ClientSettings of(Path file, Map<String, String> properties) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (file != null) {
      settings.putAll(read(file));
    }
    settings.putAll(properties);
    ClientSettings result = new ClientSettings(settings, file);
    result.checkReferences();
    return result;
  }

  private static Map<String, String> read(Path file) {
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
   * Resolves the references as a client will, and refuses one left as it was: Kafka would pass
   * {@code ${env:UNSET}} on as the value itself (a password, say), and fail later with a message
   * that does not name it.
   */
  private void checkReferences() {
    if (!settings.containsKey("config.providers")) {
      return;
    }
    Map<String, Object> resolved;
    try {
      resolved = new AbstractConfig(new ConfigDef(), settings, false).originals();
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException(
          where() + ": its config providers fail: " + e.getMessage());
    }
    Set<String> providers = Set.of(settings.get("config.providers").split("\\s*,\\s*"));
    for (Map.Entry<String, Object> setting : resolved.entrySet()) {
      if (!(setting.getValue() instanceof String value)) {
        continue;
      }
      Matcher reference = REFERENCE.matcher(value);
      while (reference.find()) {
        if (providers.contains(reference.group(1).strip())) {
          throw new IllegalArgumentException(
              where()
                  + ": "
                  + reference.group()
                  + " in "
                  + setting.getKey()
                  + " resolves to nothing"
                  + (reference.group(1).strip().equals("env")
                      ? " (is the variable set in this environment?)"
                      : " (is the file there, and does it hold the key?)"));
        }
      }
    }
  }

  private String where() {
    return file != null ? "--kafka-config " + file : "--kafka-property";
  }

  /** The settings, as written. */
  public Map<String, String> asMap() {
    return settings;
  }

  /** {@code security.protocol}, {@code PLAINTEXT} when not set. */
  public String protocol() {
    return settings
        .getOrDefault("security.protocol", "PLAINTEXT")
        .strip()
        .toUpperCase(java.util.Locale.ROOT);
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
