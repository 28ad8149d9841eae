package dev.streamlab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output a transcript shows, as a pattern that a command's real output must match line by line.
 * What varies from run to run is written so:
 *
 * <ul>
 *   <li>{@code …} (one character, U+2026) within a line stands for any text, empty included: {@code
 *       Embedded Kafka broker at 127.0.0.1:…; feeding …}, a long line cut short as {@code
 *       {"venue":…}};
 *   <li>a line that is only {@code ...} stands for any number of lines, none included;
 *   <li>a date and time ({@code 2026-11-22 01:23:16}, {@code 2026-11-22T01:59:54Z}) stands for any
 *       date and time written the same way: a digit for any digit, every other character as shown
 *       ({@code 2026-11-22T01:59:54Z} does not match {@code 2026-11-22 01:59:54}).
 * </ul>
 *
 * Spaces at the ends of lines, and blank lines at the end, are not compared.
 */
final class ExpectedOutput {

  static final String ANY_LINES = "...";
  static final String ANY_TEXT = "…";

  private static final Pattern TIME =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z?");

  private final List<String> lines;
  private final List<Pattern> patterns;

  ExpectedOutput(List<String> lines) {
    this.lines = List.copyOf(trim(lines));
    this.patterns = this.lines.stream().map(ExpectedOutput::pattern).toList();
  }

  List<String> lines() {
    return lines;
  }

  /** Whether {@code actual} matches, whole. */
  boolean matches(List<String> actual) {
    return matches(0, trim(actual), 0, lines.size());
  }

  /**
   * Whether the first {@code count} expected lines match the start of {@code actual}: what comes
   * after them is not compared.
   */
  boolean startMatches(List<String> actual, int count) {
    List<String> trimmed = actual.stream().map(String::stripTrailing).toList();
    for (int end = 0; end <= trimmed.size(); end++) {
      if (matches(0, trimmed.subList(0, end), 0, count)) {
        return true;
      }
    }
    return false;
  }

  /** Whether one expected line matches one line of output. */
  static boolean lineMatches(String expected, String actual) {
    return pattern(expected.stripTrailing()).matcher(actual.stripTrailing()).matches();
  }

  // Whether expected lines [e, end) match all of actual[a..]; `...` backtracks over lines.
  private boolean matches(int e, List<String> actual, int a, int end) {
    if (e == end) {
      return a == actual.size();
    }
    if (lines.get(e).equals(ANY_LINES)) {
      for (int skip = a; skip <= actual.size(); skip++) {
        if (matches(e + 1, actual, skip, end)) {
          return true;
        }
      }
      return false;
    }
    return a < actual.size()
        && patterns.get(e).matcher(actual.get(a)).matches()
        && matches(e + 1, actual, a + 1, end);
  }

  private static Pattern pattern(String expected) {
    StringBuilder regex = new StringBuilder();
    String[] parts = expected.split(ANY_TEXT, -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      Matcher time = TIME.matcher(parts[i]);
      int from = 0;
      while (time.find()) {
        regex.append(quote(parts[i].substring(from, time.start())));
        regex.append(time.group().replaceAll("\\d", "\\\\d").replace(".", "\\."));
        from = time.end();
      }
      regex.append(quote(parts[i].substring(from)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static String quote(String text) {
    return text.isEmpty() ? "" : Pattern.quote(text);
  }

  private static List<String> trim(List<String> lines) {
    List<String> trimmed = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
      trimmed.remove(trimmed.size() - 1);
    }
    return trimmed;
  }

  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
