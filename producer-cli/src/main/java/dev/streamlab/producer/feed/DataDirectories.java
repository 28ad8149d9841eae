package dev.streamlab.producer.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where this project keeps data between runs: {@code $XDG_DATA_HOME/streamlab}, per user. */
public final class DataDirectories {

  private DataDirectories() {}

  /** {@code $XDG_DATA_HOME/streamlab}, or {@code ~/.local/share/streamlab}. */
  public static Path root() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("streamlab");
  }

  /** The default log directory of a broker on {@code port}. */
  public static Path kafka(int port) {
    return root().resolve("kafka-" + port);
  }

  /** Deletes {@code root} and everything under it; nothing happens when it does not exist. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
