package dev.streamlab.producer.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where {@code send} and {@code serve} take their lines from: files, standard input, the lab's
 * line, or a generator. A line is its bytes as they are, without its end.
 */
public interface LineSource extends Iterator<byte[]>, AutoCloseable {

  @Override
  void close();

  /** The lines decoded as UTF-8, for a consumer of text (an invalid byte becomes U+FFFD). */
  default Iterator<String> decoded() {
    LineSource bytes = this;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return bytes.hasNext();
      }

      @Override
      public String next() {
        return new String(bytes.next(), StandardCharsets.UTF_8);
      }
    };
  }

  /** The lab's {@code producer_variance.py}: the same line, for ever. */
  static LineSource repeating(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return endless(() -> bytes);
  }

  /** Seeded random lines of {@code perLine} numbers: {@code offset + spread · U(0,1) or N(0,1)}. */
  static LineSource generated(
      long seed, boolean normal, double offset, double spread, int perLine) {
    Random random = new Random(seed);
    return numbers(
        perLine,
        line ->
            line.append(offset + spread * (normal ? random.nextGaussian() : random.nextDouble())));
  }

  /**
   * Seeded random lines of {@code perLine} integers from 0 to {@code bound − 1}: small enough that
   * even plain double sums of millions of them are exact, so that any two correct results agree bit
   * for bit.
   */
  public static LineSource integers(long seed, int bound, int perLine) {
    Random random = new Random(seed);
    return numbers(perLine, line -> line.append(random.nextInt(bound)));
  }

  /**
   * Endless lines of {@code perLine} numbers, separated by spaces, each appended by {@code next}.
   */
  private static LineSource numbers(int perLine, Consumer<StringBuilder> next) {
    StringBuilder line = new StringBuilder();
    return endless(
        () -> {
          line.setLength(0);
          for (int i = 0; i < perLine; i++) {
            next.accept(i == 0 ? line : line.append(' '));
          }
          return line.toString().getBytes(StandardCharsets.UTF_8);
        });
  }

  private static LineSource endless(Supplier<byte[]> next) {
    return new LineSource() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public byte[] next() {
        return next.get();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The lines of {@code files} in order ({@code -} is {@code stdin}), as bytes, not decoded: a line
   * ends at LF or CRLF, and a CR anywhere else is part of it; all of them again and again when
   * {@code loop}. Every file is opened once up front, so a missing one fails before anything is
   * sent.
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
    private LineReader reader;
    private byte[] next;

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
      reader = new LineReader(file.equals("-") ? stdin : Files.newInputStream(Path.of(file)));
      return true;
    }

    @Override
    public byte[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      byte[] line = next;
      next = null;
      return line;
    }

    @Override
    public void close() {
      try {
        if (reader != null && !files.get(index).equals("-")) {
          reader.in.close();
        }
        reader = null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Splits a stream into lines at LF, dropping the CR of a CRLF; the bytes otherwise untouched. */
  final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** The next line, or null at the end; a last line without an end counts unless empty. */
    byte[] readLine() throws IOException {
      byte[] line = null; // the part of a line that began in an earlier buffer
      while (true) {
        for (int i = start; i < end; i++) {
          if (buffer[i] == '\n') {
            byte[] whole = append(line, start, i);
            start = i + 1;
            return whole.length > 0 && whole[whole.length - 1] == '\r'
                ? Arrays.copyOf(whole, whole.length - 1)
                : whole;
          }
        }
        line = append(line, start, end);
        start = 0;
        end = in.read(buffer);
        if (end <= 0) {
          end = 0;
          return line.length > 0 ? line : null;
        }
      }
    }

    private byte[] append(byte[] head, int from, int to) {
      if (head == null) {
        return Arrays.copyOfRange(buffer, from, to);
      }
      byte[] joined = Arrays.copyOf(head, head.length + to - from);
      System.arraycopy(buffer, from, joined, head.length, to - from);
      return joined;
    }
  }
}
