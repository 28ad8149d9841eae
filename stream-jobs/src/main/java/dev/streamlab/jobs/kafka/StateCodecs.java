package dev.streamlab.jobs.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of state a build can write and read back ({@link StateCodec}): those of this package
 * ({@code none}, {@code tally}) and the jobs' own. A state file naming a kind not among them is
 * refused in one line.
 */
public final class StateCodecs {

  private final List<StateCodec<?>> codecs;

  private StateCodecs(List<StateCodec<?>> codecs) {
    this.codecs = codecs;
  }

  /**
   * The codecs {@code none} and {@code tally}, and {@code jobs}'.
   *
   * @throws IllegalArgumentException when two codecs have one kind's name
   */
  public static StateCodecs of(StateCodec<?>... jobs) {
    List<StateCodec<?>> all = new ArrayList<>(List.of(StateCodec.NONE, StateCodec.TALLY));
    for (StateCodec<?> codec : jobs) {
      if (named(all, codec.kind()) != null) {
        throw new IllegalArgumentException("two state codecs are named " + codec.kind());
      }
      all.add(codec);
    }
    return new StateCodecs(List.copyOf(all));
  }

  /**
   * The codec of {@code state}.
   *
   * @throws IllegalArgumentException when none writes its class: a job's state needs a codec
   */
  StateCodec<?> of(Serializable state) {
    for (StateCodec<?> codec : codecs) {
      if (codec.type().isInstance(state)) {
        return codec;
      }
    }
    throw new IllegalArgumentException(
        "no state codec for " + state.getClass().getName() + ": give one to StateCodecs.of");
  }

  /** The codec of the kind named {@code kind}, or null when this build knows none. */
  StateCodec<?> named(String kind) {
    return named(codecs, kind);
  }

  private static StateCodec<?> named(List<StateCodec<?>> codecs, String kind) {
    for (StateCodec<?> codec : codecs) {
      if (codec.kind().equals(kind)) {
        return codec;
      }
    }
    return null;
  }
}
