package dev.streamlab.producer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Where {@code send} takes its lines from: files, standard input, the lab's line, or a generator.
 */
interface LineSource extends Iterator<String>, AutoCloseable {

  @Override
  void close();

  /** The lab's {@code producer_variance.py}: the same line, for ever. */
  static LineSource repeating(String line) {
    return endless(() -> line);
  }

  /** Seeded random lines of {@code perLine} numbers: {@code offset + spread · U(0,1) or N(0,1)}. */
  static LineSource generated(
      long seed, boolean normal, double offset, double spread, int perLine) {
    Random random = new Random(seed);
    StringBuilder line = new StringBuilder();
    return endless(
        () -> {
          line.setLength(0);
          for (int i = 0; i < perLine; i++) {
            double u = normal ? random.nextGaussian() : random.nextDouble();
            line.append(i == 0 ? "" : " ").append(offset + spread * u);
          }
          return line.toString();
        });
  }

  private static LineSource endless(Supplier<String> next) {
    return new LineSource() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        return next.get();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The lines of {@code files} in order ({@code -} is {@code stdin}), read as UTF-8; all of them
   * again and again when {@code loop}. Every file is opened once up front, so a missing one fails
   * before anything is sent.
   */
  static LineSource files(List<String> files, InputStream stdin, boolean loop) throws IOException {
    for (String file : files) {
      if (!file.equals("-")) {
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
          throw new java.nio.file.FileSystemException(file, null, "is a directory, not a file");
        }
        Files.newInputStream(path).close();
      }
    }
    if (loop && files.contains("-")) {
      throw new IllegalArgumentException("--loop cannot replay standard input; give files");
    }
    return new FileLines(files, stdin, loop);
  }

  /** The lines of a list of files, one after the other, optionally round and round. */
  final class FileLines implements LineSource {
    private final List<String> files;
    private final InputStream stdin;
    private final boolean loop;
    private int index = -1;
    private long linesThisPass;
    private BufferedReader reader;
    private String next;

    private FileLines(List<String> files, InputStream stdin, boolean loop) {
      this.files = files;
      this.stdin = stdin;
      this.loop = loop;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (reader == null && !openNextFile()) {
            return false;
          }
          next = reader.readLine();
          if (next == null) {
            close();
          } else {
            linesThisPass++;
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private boolean openNextFile() throws IOException {
      index++;
      if (index == files.size()) {
        // Another pass only when looping and the last one had lines (empty files never end).
        if (!loop || linesThisPass == 0) {
          return false;
        }
        index = 0;
        linesThisPass = 0;
      }
      String file = files.get(index);
      InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
      reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String line = next;
      next = null;
      return line;
    }

    @Override
    public void close() {
      try {
        if (reader != null && !files.get(index).equals("-")) {
          reader.close();
        }
        reader = null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
