package example;

import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.NumberLineParser;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.StatsAccumulator;
import java.util.Arrays;
import java.util.stream.DoubleStream;

/** The README's example of variance-core, run from another project; it fails on a wrong result. */
public final class ReadmeExample {

  private ReadmeExample() {}

  public static void main(String[] args) {
    // README example begins
    StatsAccumulator numbers = new StatsAccumulator();
    int rejected = NumberLineParser.parse("1000000004 1000000007 oops 1000000013", numbers);
    Stats morning = numbers.toStats();
    Stats evening = Stats.of(1e9 + 16);
    Stats day = morning.plus(evening); // merging is exact, in any order

    System.out.println(day.variance()); // 22.5 (the textbook formula gives -128 or 0)
    System.out.println(LabFormat.json(day, rejected, Algorithm.STABLE));
    // {"sum_x_square":4.0000000800000005e+18,"sum_x":4000000040.0,"n":4,"var":22.5,"rejected":1}

    Stats fromStream =
        DoubleStream.of(1, 2, 3, 4, 5, 6)
            .parallel()
            .collect(StatsAccumulator::new, StatsAccumulator::accept, StatsAccumulator::combine)
            .toStats();

    byte[] kept = day.toBytes(); // 56 bytes for a state store; merged later, exactly
    Stats restored = Stats.fromBytes(kept).plus(fromStream);
    // README example ends

    require(day.variance() == 22.5, "variance " + day.variance());
    require(
        LabFormat.json(day, rejected, Algorithm.STABLE)
            .equals(
                "{\"sum_x_square\":4.0000000800000005e+18,\"sum_x\":4000000040.0,\"n\":4,"
                    + "\"var\":22.5,\"rejected\":1}"),
        "json");
    require(fromStream.variance() == 35.0 / 12, "stream variance " + fromStream.variance());
    require(kept.length == 56, "encoding of " + kept.length + " bytes");
    require(restored.equals(day.plus(fromStream)), "restored " + restored);
    require(
        Arrays.equals(Stats.fromBytes(kept).toBytes(), kept), "the round trip changed the bytes");
    System.out.println("variance-core works from another project: " + restored);
  }

  private static void require(boolean holds, String what) {
    if (!holds) {
      throw new IllegalStateException("the README's example went wrong: " + what);
    }
  }
}
