package dev.streamlab.variance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatsEncodingTest {

  static Stream<Samples> offsetData() {
    return Samples.offsetData();
  }

  @ParameterizedTest
  @MethodSource("offsetData")
  void aDecodedValueIsTheEncodedOneBitForBitAndMergesTheSame(Samples data) {
    double[] values = data.values();
    int cut = values.length / 2;
    Stats a = Stats.of(Arrays.copyOfRange(values, 0, cut));
    Stats b = Stats.of(Arrays.copyOfRange(values, cut, values.length));

    Stats decoded = Stats.fromBytes(a.toBytes());

    assertThat(decoded.toBytes()).as(data.toString()).isEqualTo(a.toBytes());
    assertThat(decoded).isEqualTo(a);
    assertThat(Stats.fromBytes(b.toBytes()).plus(decoded).toBytes())
        .as("merged after a round trip, %s", data)
        .isEqualTo(b.plus(a).toBytes());
  }

  @Test
  void edgeValuesRoundTrip() {
    for (Stats stats :
        new Stats[] {
          Stats.empty(),
          Stats.of(42),
          Stats.of(Double.NaN, 1),
          Stats.of(Double.POSITIVE_INFINITY, 1),
          Stats.of(1e200, 2e200, 3),
          Stats.of(-0.0),
          Stats.of(Double.MIN_VALUE, Double.MAX_VALUE)
        }) {
      Stats decoded = Stats.fromBytes(stats.toBytes());
      assertThat(decoded.toBytes()).as(stats.toString()).isEqualTo(stats.toBytes());
      assertThat(decoded.toString()).isEqualTo(stats.toString());
    }
    assertThat(Stats.fromBytes(Stats.empty().toBytes())).isSameAs(Stats.empty());
  }

  @Test
  void theLayoutIsTheDocumentedOne() {
    byte[] bytes = Stats.of(1, 2, 3).toBytes();

    // magic SV, version 1, flags 0, n = 3, K = 1.0, Σ(x − K) = 3.0, Σ(x − K)² = 5.0
    assertThat(HexFormat.of().formatHex(bytes, 0, 52))
        .isEqualTo(
            "53560100"
                + "0000000000000003"
                + "3ff0000000000000"
                + "4008000000000000"
                + "0000000000000000"
                + "4014000000000000"
                + "0000000000000000");
    assertThat(bytes).hasSize(56);
  }

  @Test
  void everyFlippedBitIsAnErrorNeverAnotherValue() {
    byte[] good = Stats.of(1e9 + 1, 1e9 + 2, 1e9 + 4).toBytes();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      int flipped = bit;
      assertThatThrownBy(() -> Stats.fromBytes(bad))
          .as("bit %d", flipped)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void randomBytesAreRejectedWithAReason() {
    long seed = 20261201;
    Random random = new Random(seed);
    byte[] valid = Stats.of(1, 2, 3).toBytes();
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] bytes =
          switch (trial % 4) {
            case 0 -> randomBytes(random, random.nextInt(80)); // anything
            case 1 -> Arrays.copyOf(valid, random.nextInt(80)); // truncated or extended
            case 2 -> changed(random, valid); // one to four bytes changed
            default -> { // past the magic and the version: to the checksum and the fields
              byte[] fields = randomBytes(random, 56);
              fields[0] = 'S';
              fields[1] = 'V';
              fields[2] = 1;
              yield fields;
            }
          };
      if (Arrays.equals(bytes, valid)) {
        continue;
      }
      byte[] tried = bytes;
      Throwable thrown = catchThrowable(() -> Stats.fromBytes(tried));
      assertThat(thrown)
          .as("seed %d, trial %d: %s", seed, trial, HexFormat.of().formatHex(tried))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(thrown.getMessage()).isNotBlank();
    }
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] changed(Random random, byte[] valid) {
    byte[] bytes = valid.clone();
    for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return bytes;
  }

  @Test
  void otherVersionsAndBadFieldsSayWhatIsWrong() {
    byte[] valid = Stats.of(1, 2, 3).toBytes();

    byte[] later = valid.clone();
    later[2] = 2;
    assertThatThrownBy(() -> Stats.fromBytes(later))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an encoded Stats of version 2: this library reads version 1");
    assertThatThrownBy(() -> Stats.fromBytes(Arrays.copyOf(valid, 55)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an encoded Stats of version 1 has 56 bytes, this has 55");
    assertThatThrownBy(
            () -> Stats.fromBytes("not stats".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an encoded Stats: it does not start with 'SV'");
    byte[] flipped = valid.clone();
    flipped[13] ^= 1;
    assertThatThrownBy(() -> Stats.fromBytes(flipped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("corrupt encoded Stats: its checksum does not match");
    assertThatThrownBy(() -> Stats.fromBytes(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes must not be null");
  }
}
