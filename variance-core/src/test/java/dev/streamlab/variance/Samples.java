package dev.streamlab.variance;

import java.util.Random;
import java.util.stream.Stream;

/** Seeded data sets for the property tests: offsets up to 1e12, spreads down to 1e-3. */
record Samples(String name, long seed, double[] values) {

  static final double[] OFFSETS = {0, 1, 1e3, 1e6, 1e9, 1e12, -1e12};
  static final double[] SPREADS = {1e-3, 1, 1e3, 1e6};

  /** Uniform and normal data of every offset and spread, 1 to 5000 values each. */
  static Stream<Samples> offsetData() {
    Stream.Builder<Samples> all = Stream.builder();
    long seed = 20261122;
    for (double offset : OFFSETS) {
      for (double spread : SPREADS) {
        for (boolean normal : new boolean[] {false, true}) {
          seed++;
          Random random = new Random(seed);
          int n = 1 + random.nextInt(5000);
          double[] values = new double[n];
          for (int i = 0; i < n; i++) {
            double u = normal ? random.nextGaussian() : random.nextDouble();
            values[i] = offset + spread * u;
          }
          String name =
              String.format(
                  "%s n=%d offset=%g spread=%g", normal ? "normal" : "uniform", n, offset, spread);
          all.add(new Samples(name, seed, values));
        }
      }
    }
    return all.build();
  }

  /** Magnitudes from 1e-3 to 1e6 mixed in one data set, both signs. */
  static Samples mixedMagnitudes(long seed, int n) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      double magnitude = Math.pow(10, -3 + 9 * random.nextDouble());
      values[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    return new Samples("mixed magnitudes n=" + n, seed, values);
  }

  @Override
  public String toString() {
    return name + " seed=" + seed;
  }
}
