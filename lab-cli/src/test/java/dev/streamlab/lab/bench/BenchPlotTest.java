package dev.streamlab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.streamlab.lab.print.ExactSums;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BenchPlotTest {

  /** A phase that counted a million numbers in {@code seconds}. */
  private static PhaseResult result(String name, double seconds) {
    return new PhaseResult(
        name, new ExactSums(1_000_000, 1, 1), 1000, seconds, seconds + 1, 100, null);
  }

  @Test
  void aBarPerPhaseAsLongAsItsMedianOnALogScaleWithItsRatioToTheLimit() throws Exception {
    List<List<PhaseResult>> rounds =
        List.of(
            List.of(result("limit", 0.1), result("job", 0.1), result("published", 1.0)),
            List.of(result("limit", 0.05), result("job", 0.2), result("published", 2.0)),
            List.of(result("limit", 0.1), result("job", 0.125), result("published", 1.0)));

    Document svg = parse(BenchPlot.phases(rounds, "a <title> & more"));

    NodeList rects = svg.getElementsByTagName("rect");
    List<Double> widths = new ArrayList<>();
    for (int i = 1; i < rects.getLength(); i++) { // the first is the background
      widths.add(Double.parseDouble(((Element) rects.item(i)).getAttribute("width")));
    }
    // Medians: limit 10M/s, job 8M/s, published 1M/s; the slowest round 500k/s, so the axis
    // runs from 100k to 100M, and each bar is as long as the decades from 100k to its median
    // (to the tenth of a pixel the SVG gives).
    assertThat(widths).hasSize(3);
    assertThat(widths.get(2) / widths.get(0)).isCloseTo(1 / 2.0, offset(0.005));
    assertThat(widths.get(1) / widths.get(0)).isCloseTo(Math.log10(80) / 2, offset(0.005));
    String text = svg.getDocumentElement().getTextContent();
    assertThat(text)
        .contains("a <title> & more", "limit", "job", "published")
        .contains("10,000,000", "8,000,000  (80.0 % of limit)", "1,000,000  (10.0 % of limit)")
        .contains("100k", "1M", "10M", "100M")
        .contains("the median of 3 rounds");
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
