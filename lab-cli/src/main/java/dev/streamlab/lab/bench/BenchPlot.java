package dev.streamlab.lab.bench;

import java.util.List;
import java.util.Locale;

/**
 * The phases of {@code bench variance} as an SVG chart ({@code --plot FILE}): a bar per phase, its
 * numbers/s the median of the rounds, a whisker from the slowest round to the fastest, on a
 * logarithmic axis (the phases differ by two orders of magnitude), each labelled with its median
 * and its ratio to the limit. Plain SVG 1.1, no script, so any browser or document shows it.
 */
final class BenchPlot {

  private static final int WIDTH = 760;
  private static final int LEFT = 120; // the phases' names
  private static final int RIGHT = 190; // the labels
  private static final int TOP = 56;
  private static final int BAR = 26;
  private static final int GAP = 18;
  private static final int AXIS = 40;

  private BenchPlot() {}

  /** The chart of {@code rounds} (each the phases of one round, the limit first), titled. */
  static String phases(List<List<PhaseResult>> rounds, String title) {
    List<String> names = rounds.get(0).stream().map(PhaseResult::name).toList();
    double low = Double.MAX_VALUE;
    double high = 0;
    for (List<PhaseResult> round : rounds) {
      for (PhaseResult result : round) {
        low = Math.min(low, result.numbersPerSecond());
        high = Math.max(high, result.numbersPerSecond());
      }
    }
    int from = (int) Math.floor(Math.log10(low));
    int to = (int) Math.ceil(Math.log10(high) + 1e-9);
    if (to == from) {
      to++;
    }
    Scale x = new Scale(from, to, LEFT, WIDTH - RIGHT);
    int height = TOP + names.size() * (BAR + GAP) + AXIS;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"13\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, LEFT, 22, "start", "bold", title);
    text(
        svg,
        LEFT,
        40,
        "start",
        "normal",
        "numbers/s (log scale): the median of "
            + rounds.size()
            + " rounds, the whisker from the slowest to the fastest");
    int axisY = TOP + names.size() * (BAR + GAP);
    for (int power = from; power <= to; power++) {
      double at = x.of(Math.pow(10, power));
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
              at,
              TOP - 6,
              at,
              axisY));
      text(svg, at, axisY + 18, "middle", "normal", power(power));
    }
    for (int phase = 0; phase < names.size(); phase++) {
      Spread speed = Spread.over(rounds, phase, PhaseResult::numbersPerSecond);
      Spread toLimit = Spread.ratio(rounds, phase, 0);
      int y = TOP + phase * (BAR + GAP);
      double end = x.of(speed.median());
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
              LEFT,
              y,
              end - LEFT,
              BAR,
              phase == 0 ? "#888" : names.get(phase).equals("job") ? "#2b6cb0" : "#c27c0e"));
      double min = x.of(speed.min());
      double max = x.of(speed.max());
      int mid = y + BAR / 2;
      svg.append(
          String.format(
              Locale.ROOT,
              "<path d=\"M%.1f %dH%.1fM%.1f %dV%dM%.1f %dV%d\" stroke=\"black\"/>%n",
              min,
              mid,
              max,
              min,
              mid - 6,
              mid + 6,
              max,
              mid - 6,
              mid + 6));
      text(svg, LEFT - 8, mid + 5, "end", "normal", names.get(phase));
      text(
          svg,
          WIDTH - RIGHT + 10,
          mid + 5,
          "start",
          "normal",
          String.format(Locale.ROOT, "%,.0f", speed.median())
              + (phase == 0
                  ? ""
                  : String.format(Locale.ROOT, "  (%.1f %% of limit)", 100 * toLimit.median())));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Where a value falls on the logarithmic axis from 10^from to 10^to, in pixels. */
  private record Scale(int from, int to, int left, int right) {
    double of(double value) {
      double decades = Math.log10(value) - from;
      return left + (right - left) * decades / (to - from);
    }
  }

  /** 10^power as a label: 1k, 10k, 100k, 1M, 10M, … */
  private static String power(int power) {
    String[] units = {"", "k", "M", "G"};
    int unit = Math.max(0, Math.min(units.length - 1, power / 3));
    return (long) Math.pow(10, power - 3 * unit) + units[unit];
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, String weight, String content) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            weight,
            escape(content)));
  }

  private static String escape(String content) {
    return content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
