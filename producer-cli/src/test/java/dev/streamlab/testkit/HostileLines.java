package dev.streamlab.testkit;

import dev.streamlab.producer.feed.RsvpGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile input mixed with good input, as raw bytes, with the truth about it: for the
 * variance job, lines of numbers among non-numeric tokens, {@code NaN}, {@code Infinity}, {@code
 * 1e400}, empty and blank lines, control characters, invalid UTF-8 and a 1 MB line; for the RSVP
 * jobs, generated RSVPs among HTTP headers, truncated JSON, RSVPs without a venue or with {@code
 * "venue":null}, JSON that is not an object, and invalid UTF-8.
 *
 * <p>The truth is computed independently of the jobs' parsers: a good number is written from a
 * known double (or read back with {@link Double#parseDouble}), and every bad token is bad by
 * construction. Tokens are separated by ASCII whitespace, never inside a bad token, so that a token
 * is bad or good whole, also after invalid UTF-8 is decoded to U+FFFD.
 */
public final class HostileLines {

  /** Lines of numbers and hostile tokens: the good numbers in order, and the bad tokens' count. */
  public record NumberLines(List<byte[]> lines, double[] good, long bad) {}

  /** RSVP lines and hostile ones: how many JSON objects, with a venue object, and skipped. */
  public record RsvpLines(List<byte[]> lines, long rsvps, long withVenue, long skipped) {}

  /** The size of the one huge line each set has. */
  public static final int HUGE_LINE_BYTES = 1_000_000;

  private static final String[] SEPARATORS = {" ", " ", " ", "  ", "\t", "\u000B", "\f", "\r"};

  private static final String[] BAD_TOKENS = {
    "abc",
    "NaN",
    "nan",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e400",
    "-1e400",
    "0x1p3",
    "1,5",
    "1_000",
    "--1",
    "1e",
    "1e+",
    ".",
    "+",
    "-",
    "12abc",
    "1.2.3",
    "2d",
    "3f",
    "١٢",
    "１２",
    "½",
    "1\u00002",
    "\u0007",
    "\u001b[31m5",
    "\u007f",
    "4\u001c",
    "\u0085",
    "\u00a05"
  };

  /** Invalid UTF-8: a stray continuation byte, 0xFF, a truncated sequence, an encoded surrogate. */
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0x80},
    {(byte) 0xFF},
    {(byte) 0xC3},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
  };

  private final Random random;

  private HostileLines(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} lines of numbers, about half of them hostile, one of them 1 MB long. */
  public static NumberLines numbers(long seed, int count) {
    HostileLines generator = new HostileLines(seed);
    List<byte[]> lines = new ArrayList<>();
    DoubleList good = new DoubleList();
    long[] bad = {0};
    for (int i = 0; i < count; i++) {
      lines.add(
          i == count / 2
              ? generator.hugeNumberLine(good, bad)
              : generator.numberLine(good, bad, 1 + generator.random.nextInt(8)));
    }
    return new NumberLines(lines, good.toArray(), bad[0]);
  }

  /** {@code count} lines, about a third of them hostile, one of them a 1 MB RSVP. */
  public static RsvpLines rsvps(long seed, int count) {
    HostileLines generator = new HostileLines(seed);
    RsvpGenerator rsvps = new RsvpGenerator(seed);
    List<byte[]> lines = new ArrayList<>();
    long objects = 0;
    long withVenue = 0;
    long skipped = 0;
    for (int i = 0; i < count; i++) {
      RsvpGenerator.Rsvp rsvp = rsvps.next();
      String json = rsvp.json();
      int kind = i == count / 2 ? -1 : generator.random.nextInt(12);
      switch (kind) {
        case -1 -> { // 1 MB: a venue's name padded out; still one RSVP
          lines.add(utf8(huge(json)));
          objects++;
          withVenue += rsvp.venueJson() != null ? 1 : 0;
        }
        case 0 -> { // an HTTP header line, as 'curl -i' prints them
          lines.add(
              utf8(
                  generator.pick(
                      "HTTP/1.1 200 OK",
                      "Content-Type: application/json",
                      "Transfer-Encoding: chunked",
                      "Connection: keep-alive")));
          skipped++;
        }
        case 1 -> { // truncated JSON: the line cut short
          lines.add(utf8(json.substring(0, 1 + generator.random.nextInt(json.length() - 2))));
          skipped++;
        }
        case 2 -> { // no venue at all
          lines.add(utf8(withoutVenue(json)));
          objects++;
        }
        case 3 -> { // "venue": null
          lines.add(utf8("{\"venue\":null," + withoutVenue(json).substring(1)));
          objects++;
        }
        case 4 -> { // JSON, but not an object
          lines.add(
              utf8(
                  generator.pick(
                      "[1,2,3]", "\"venue\"", "42", "null", "true", "[]", "[" + json + "]")));
          skipped++;
        }
        case 5 -> { // empty, blank, control characters, trailing garbage
          lines.add(
              utf8(
                  generator.pick(
                      "", "   ", "\t", "\u0000\u0007", json + " trailing", json + json)));
          skipped++;
        }
        case 6 -> { // invalid UTF-8 inside a string: decoded to U+FFFD, still an RSVP
          byte[] plain = utf8(json);
          String value = "\"response\":\"";
          int quote = utf8(json.substring(0, json.indexOf(value) + value.length())).length;
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(plain, 0, quote);
          out.writeBytes(generator.invalidUtf8());
          out.write(plain, quote, plain.length - quote);
          lines.add(out.toByteArray());
          objects++;
          withVenue += rsvp.venueJson() != null ? 1 : 0;
        }
        default -> {
          lines.add(utf8(json));
          objects++;
          withVenue += rsvp.venueJson() != null ? 1 : 0;
        }
      }
    }
    return new RsvpLines(lines, objects, withVenue, skipped);
  }

  private byte[] numberLine(DoubleList good, long[] bad, int tokens) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int kind = random.nextInt(10);
    if (kind == 0) {
      return new byte[0]; // empty
    }
    if (kind == 1) {
      return utf8(separator() + separator()); // blank
    }
    if (random.nextBoolean()) {
      line.writeBytes(utf8(separator()));
    }
    for (int t = 0; t < tokens; t++) {
      if (t > 0) {
        line.writeBytes(utf8(separator()));
      }
      if (kind < 5 || random.nextBoolean()) {
        line.writeBytes(utf8(goodToken(good)));
      } else {
        line.writeBytes(badToken());
        bad[0]++;
      }
    }
    return line.toByteArray();
  }

  private byte[] hugeNumberLine(DoubleList good, long[] bad) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(HUGE_LINE_BYTES + 64);
    while (line.size() < HUGE_LINE_BYTES - 64) {
      line.writeBytes(numberLine(good, bad, 8));
      line.write(' ');
    }
    byte[] padding = new byte[HUGE_LINE_BYTES - line.size()];
    Arrays.fill(padding, (byte) ' ');
    line.writeBytes(padding);
    return line.toByteArray();
  }

  /** A good token, its value added to {@code good}: the forms a parser must get right. */
  private String goodToken(DoubleList good) {
    String token =
        switch (random.nextInt(12)) {
          case 0 -> "-0";
          case 1 -> "+3.25";
          case 2 -> ".5";
          case 3 -> "5.";
          case 4 -> "1E-7";
          case 5 -> "6.02e5";
          case 6 -> "1e-400"; // too small for a double: reads as zero
          case 7 -> "3.14159265358979323846264338327950288"; // more digits than a double holds
          case 8 -> Long.toString(random.nextInt(2_000_001) - 1_000_000);
          default -> Double.toString(1e4 * random.nextGaussian());
        };
    good.add(Double.parseDouble(token));
    return token;
  }

  private byte[] badToken() {
    if (random.nextInt(4) == 0) {
      ByteArrayOutputStream token = new ByteArrayOutputStream();
      if (random.nextBoolean()) {
        token.write('1');
      }
      token.writeBytes(invalidUtf8());
      if (random.nextBoolean()) {
        token.write('2');
      }
      return token.toByteArray();
    }
    return utf8(BAD_TOKENS[random.nextInt(BAD_TOKENS.length)]);
  }

  private byte[] invalidUtf8() {
    return INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
  }

  private String separator() {
    return SEPARATORS[random.nextInt(SEPARATORS.length)];
  }

  private String pick(String... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static String huge(String json) {
    String marker = "\"venue_name\":\"";
    int at = json.indexOf(marker);
    String padding = "x".repeat(HUGE_LINE_BYTES - utf8(json).length);
    if (at < 0) { // no venue: pad the member's name instead
      marker = "\"member_name\":\"";
      at = json.indexOf(marker);
    }
    at += marker.length();
    return json.substring(0, at) + padding + json.substring(at);
  }

  private static String withoutVenue(String json) {
    int start = json.indexOf("\"venue\":{");
    if (start < 0) {
      return json;
    }
    int end = json.indexOf('}', start) + 1; // a venue holds no nested object
    String rest = json.substring(end);
    return json.substring(0, start) + (rest.startsWith(",") ? rest.substring(1) : rest);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A growable double array, to keep a million good numbers without boxing them. */
  private static final class DoubleList {
    private double[] values = new double[1024];
    private int size;

    void add(double value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
