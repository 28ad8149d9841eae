package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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

  /**
   * Writes {@code text} to {@code file} in ISO 8859-1 (as a properties file is read), readable by
   * its owner only from the start, and in one step: a reader sees the old file or the new one.
   */
  public static void writeSecret(Path file, String text) throws IOException {
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
}
