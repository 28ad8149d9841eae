package dev.streamlab.lab;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (0.0.4): every line a comment ({@code #
 * HELP}, {@code # TYPE}) or a sample, each sample of a family whose {@code # TYPE} came first, no
 * series twice. Fails on anything else.
 */
final class PrometheusText {

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final Pattern SAMPLE =
      Pattern.compile(
          "("
              + NAME
              + ")(\\{"
              + LABEL
              + "(?:,"
              + LABEL
              + ")*\\})? ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern HELP = Pattern.compile("# HELP " + NAME + " .*");

  private PrometheusText() {}

  /** Each series, {@code name{labels}} as written, and its value. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> series = new HashMap<>();
    Set<String> families = new HashSet<>();
    for (String line : text.split("\n")) {
      Matcher type = TYPE.matcher(line);
      Matcher sample = SAMPLE.matcher(line);
      if (type.matches()) {
        if (!families.add(type.group(1))) {
          throw new IllegalArgumentException("a second # TYPE of " + type.group(1));
        }
      } else if (HELP.matcher(line).matches()) {
        continue;
      } else if (sample.matches()) {
        String name = sample.group(1);
        if (families.stream().noneMatch(family -> name.equals(family) || familyOf(name, family))) {
          throw new IllegalArgumentException("a sample before its # TYPE: " + line);
        }
        String key = name + (sample.group(2) == null ? "" : sample.group(2));
        if (series.put(key, Double.parseDouble(sample.group(3).replace("Inf", "Infinity")))
            != null) {
          throw new IllegalArgumentException("a series twice: " + line);
        }
      } else {
        throw new IllegalArgumentException("not Prometheus' text format: '" + line + "'");
      }
    }
    return series;
  }

  private static boolean familyOf(String name, String family) {
    return name.equals(family + "_total")
        || name.equals(family + "_bucket")
        || name.equals(family + "_count")
        || name.equals(family + "_sum")
        || name.equals(family + "_created");
  }
}
