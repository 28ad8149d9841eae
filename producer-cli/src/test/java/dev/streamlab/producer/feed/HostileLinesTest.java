package dev.streamlab.producer.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.testkit.HostileLines;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.StatsAccumulator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hostile sets hold every kind of hostile input, and their truth is what a parser must find.
 */
class HostileLinesTest {

  private final HostileLines.NumberLines numbers = HostileLines.numbers(11, 600);

  @Test
  void numberLinesHoldEveryKindOfHostileInput() {
    List<String> decoded = numbers.lines().stream().map(HostileLinesTest::decode).toList();

    assertThat(numbers.lines()).anyMatch(line -> line.length == HostileLines.HUGE_LINE_BYTES);
    assertThat(numbers.lines()).anyMatch(line -> line.length == 0);
    assertThat(decoded).anyMatch(line -> !line.isEmpty() && line.isBlank());
    assertThat(decoded).anyMatch(line -> line.contains("\uFFFD")); // invalid UTF-8
    assertThat(decoded).anyMatch(line -> line.contains("\u0000") || line.contains("\u0007"));
    assertThat(String.join(" ", decoded))
        .contains(" NaN", "Infinity", "1e400", "-0", "1e-400", "\t", "\r");
    assertThat(numbers.bad()).isGreaterThan(300);
    assertThat(numbers.good().length).isGreaterThan(50_000); // the 1 MB line is mostly numbers
  }

  @Test
  void theParserFindsExactlyTheGoodNumbersAndCountsTheBadTokens() {
    StatsAccumulator accepted = new StatsAccumulator();
    long rejected = 0;
    for (byte[] line : numbers.lines()) {
      rejected += NumberLineParser.parse(decode(line), accepted);
    }

    assertThat(rejected).isEqualTo(numbers.bad());
    assertThat(accepted.toStats()).isEqualTo(Stats.of(numbers.good()));
    assertThat(Arrays.stream(numbers.good()).allMatch(Double::isFinite)).isTrue();
  }

  @Test
  void rsvpLinesAreCountedByKind() {
    HostileLines.RsvpLines rsvps = HostileLines.rsvps(13, 500);

    assertThat(rsvps.rsvps() + rsvps.skipped()).isEqualTo(rsvps.lines().size());
    assertThat(rsvps.withVenue()).isLessThan(rsvps.rsvps());
    assertThat(rsvps.skipped()).isGreaterThan(100);
    assertThat(rsvps.lines()).anyMatch(line -> line.length == HostileLines.HUGE_LINE_BYTES);
    assertThat(rsvps.lines().stream().map(HostileLinesTest::decode))
        .anyMatch(line -> line.startsWith("HTTP/1.1"))
        .anyMatch(line -> line.startsWith("{\"venue\":null,"))
        .anyMatch(line -> line.startsWith("[") || line.equals("42"))
        .anyMatch(line -> line.contains("\uFFFD"));
  }

  @Test
  void theSameSeedGivesTheSameLines() {
    HostileLines.NumberLines again = HostileLines.numbers(11, 600);

    assertThat(again.lines()).hasSameSizeAs(numbers.lines());
    for (int i = 0; i < again.lines().size(); i++) {
      assertThat(again.lines().get(i)).isEqualTo(numbers.lines().get(i));
    }
  }

  /** As Kafka's StringDeserializer and Hadoop's Text read bytes: invalid UTF-8 becomes U+FFFD. */
  private static String decode(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }
}
