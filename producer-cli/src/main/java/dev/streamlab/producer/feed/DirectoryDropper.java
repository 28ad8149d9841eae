package dev.streamlab.producer.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts files into a directory that a Spark {@code textFileStream} watches, the way it needs them.
 *
 * <p>Spark reads a file only once, when it appears with a modification time inside the current
 * window, and may read a half-written file if it is copied in place. So each file is written under
 * a temporary dot-name (Spark ignores names starting with a dot) in the same directory, given the
 * current time, and then renamed atomically to a fresh name: copying the same file again yields a
 * new file, which Spark reads again.
 */
public final class DirectoryDropper {

  private final Path dir;
  private final AtomicLong drops = new AtomicLong();

  /** A dropper into {@code dir}, created if missing. */
  public DirectoryDropper(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Copies {@code source} into the directory under a fresh name, atomically; returns the name. */
  public Path drop(Path source) throws IOException {
    String name = source.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String extension = dot > 0 ? name.substring(dot) : "";
    String fresh =
        stem + "-" + System.currentTimeMillis() + "-" + drops.incrementAndGet() + extension;
    Path staging = dir.resolve("." + fresh + ".tmp");
    try {
      Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(staging, FileTime.from(Instant.now()));
      return Files.move(staging, dir.resolve(fresh), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staging);
    }
  }
}
