package dev.streamlab.producer;

import java.nio.file.Path;

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
}
