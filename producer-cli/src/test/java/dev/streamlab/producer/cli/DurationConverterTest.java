package dev.streamlab.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @Test
  void readsEachUnitAndFractions() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationConverter.parse("2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void zeroIsRefusedUnlessTheOptionCanBeLeftOut() {
    assertThatThrownBy(() -> new DurationConverter().convert("0s"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'0s' is not a positive duration");
    DurationConverter.OrZero orZero = new DurationConverter.OrZero();
    assertThat(orZero.convert("0s")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("0ms")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("0.0s")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> orZero.convert("-1s")).hasMessage("'-1s' is not a positive duration");
    assertThatThrownBy(() -> orZero.convert("0"))
        .hasMessageContaining("is not a duration; write a number and a unit");
  }
}
