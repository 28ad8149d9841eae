package dev.streamlab.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @Test
  void zeroIsRefusedUnlessTheOptionCanBeLeftOut() {
    assertThat(new DurationConverter().convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> new DurationConverter().convert("0s"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'0s' is not a positive duration");
    DurationConverter.OrZero orZero = new DurationConverter.OrZero();
    assertThat(orZero.convert("0s")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("0ms")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("0.0s")).isEqualTo(Duration.ZERO);
    assertThat(orZero.convert("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> orZero.convert("-1s"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'-1s' is not a positive duration");
    assertThatThrownBy(() -> orZero.convert("0"))
        .hasMessageContaining("is not a duration; write a number and a unit");
  }
}
