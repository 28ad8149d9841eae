package dev.streamlab.producer.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsEachUnitAndFractions() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void refusesWhatIsNotAPositiveDurationSayingWhich() {
    assertThatThrownBy(() -> Durations.parse("0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'0s' is not a positive duration");
    assertThatThrownBy(() -> Durations.parse("-1s")).hasMessage("'-1s' is not a positive duration");
    assertThatThrownBy(() -> Durations.parse("5"))
        .hasMessage("'5' is not a duration; write a number and a unit, like 500ms, 2s, 10m or 1h");
    assertThatThrownBy(() -> Durations.parse("s")).hasMessageContaining("is not a duration");
  }

  @Test
  void writesWhatItReadsBack() {
    for (String text : new String[] {"500ms", "2s", "90s", "1500ms"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120s");
  }
}
