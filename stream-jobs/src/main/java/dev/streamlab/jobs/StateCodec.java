package dev.streamlab.jobs;

import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one kind of job state is written in a state file ({@link StateStore}), in an encoding of its
 * own that no Java class layout decides: the kind's name, then its fields, big-endian, as each
 * codec's documentation says. A new field or kind is a new format version, read beside the old.
 *
 * @param <S> the state
 */
abstract class StateCodec<S extends Serializable> {

  /** The state of a job that keeps none (its offsets only): no bytes. */
  static final StateCodec<KafkaInput.Stateless> NONE =
      new StateCodec<>("none", KafkaInput.Stateless.class) {
        @Override
        void write(KafkaInput.Stateless state, DataOutput out) {}

        @Override
        KafkaInput.Stateless read(DataInput in) {
          return KafkaInput.Stateless.INSTANCE;
        }
      };

  /**
   * A {@link Tally}: its statistics as {@link Stats#toBytes} writes them (an int length, then the
   * bytes), then the rejected tokens and the empty lines, two longs.
   */
  static final StateCodec<Tally> TALLY =
      new StateCodec<>("tally", Tally.class) {
        @Override
        void write(Tally tally, DataOutput out) throws IOException {
          writeBytes(tally.stats().toBytes(), out);
          out.writeLong(tally.rejected());
          out.writeLong(tally.emptyLines());
        }

        @Override
        Tally read(DataInput in) throws IOException {
          return new Tally(Stats.fromBytes(readBytes(in)), in.readLong(), in.readLong());
        }
      };

  /**
   * The variance job's {@link VarianceState}: the batches a window covers (an int), the cumulative
   * tally, then the count of recent batches (an int) and their tallies, oldest first, each as
   * {@link #TALLY} writes it.
   */
  static final StateCodec<VarianceState> VARIANCE =
      new StateCodec<>("variance", VarianceState.class) {
        @Override
        void write(VarianceState state, DataOutput out) throws IOException {
          out.writeInt(state.windowBatches());
          TALLY.write(state.total(), out);
          out.writeInt(state.recentBatches().size());
          for (Tally batch : state.recentBatches()) {
            TALLY.write(batch, out);
          }
        }

        @Override
        VarianceState read(DataInput in) throws IOException {
          int windowBatches = in.readInt();
          Tally total = TALLY.read(in);
          int recent = count(in);
          List<Tally> batches = new ArrayList<>(recent);
          for (int i = 0; i < recent; i++) {
            batches.add(TALLY.read(in));
          }
          return new VarianceState(total, batches, windowBatches);
        }
      };

  /**
   * The word-count job's {@link WordCountState}: the count of words (an int), then each word in
   * UTF-8 order of its text (an int length, its UTF-8 bytes) and its count (a long).
   */
  static final StateCodec<WordCountState> WORD_COUNT =
      new StateCodec<>("word-count", WordCountState.class) {
        @Override
        void write(WordCountState state, DataOutput out) throws IOException {
          out.writeInt(state.counts().size());
          for (Map.Entry<String, Long> word : new TreeMap<>(state.counts()).entrySet()) {
            writeBytes(word.getKey().getBytes(StandardCharsets.UTF_8), out);
            out.writeLong(word.getValue());
          }
        }

        @Override
        WordCountState read(DataInput in) throws IOException {
          int words = count(in);
          Map<String, Long> counts = new HashMap<>(words * 2);
          for (int i = 0; i < words; i++) {
            counts.put(new String(readBytes(in), StandardCharsets.UTF_8), in.readLong());
          }
          return new WordCountState(counts);
        }
      };

  /**
   * The window-count job's {@link WindowCountState}: the batches a window covers (an int), the
   * count of batches kept (an int), then each batch's time, lines and venues (three longs), oldest
   * first.
   */
  static final StateCodec<WindowCountState> WINDOW_COUNT =
      new StateCodec<>("window-count", WindowCountState.class) {
        @Override
        void write(WindowCountState state, DataOutput out) throws IOException {
          out.writeInt(state.windowBatches());
          out.writeInt(state.batches().size());
          for (WindowCountReport.BatchCount batch : state.batches()) {
            out.writeLong(batch.timeMillis());
            out.writeLong(batch.lines());
            out.writeLong(batch.venues());
          }
        }

        @Override
        WindowCountState read(DataInput in) throws IOException {
          int windowBatches = in.readInt();
          int kept = count(in);
          List<WindowCountReport.BatchCount> batches = new ArrayList<>(kept);
          for (int i = 0; i < kept; i++) {
            batches.add(
                new WindowCountReport.BatchCount(in.readLong(), in.readLong(), in.readLong()));
          }
          return new WindowCountState(batches, windowBatches);
        }
      };

  private static final List<StateCodec<?>> ALL =
      List.of(NONE, TALLY, VARIANCE, WORD_COUNT, WINDOW_COUNT);

  private final String kind;
  private final Class<S> type;

  private StateCodec(String kind, Class<S> type) {
    this.kind = kind;
    this.type = type;
  }

  /** The kind's name, written before the state. */
  final String kind() {
    return kind;
  }

  abstract void write(S state, DataOutput out) throws IOException;

  abstract S read(DataInput in) throws IOException;

  /** Writes {@code state}, which must be of this codec's type. */
  final void writeState(Serializable state, DataOutput out) throws IOException {
    write(type.cast(state), out);
  }

  /**
   * The codec of {@code state}.
   *
   * @throws IllegalArgumentException when no codec writes its class: a job state needs one here
   */
  static StateCodec<?> of(Serializable state) {
    for (StateCodec<?> codec : ALL) {
      if (codec.type.isInstance(state)) {
        return codec;
      }
    }
    throw new IllegalArgumentException(
        "no state codec for " + state.getClass().getName() + ": add one to StateCodec");
  }

  /** The codec of the kind named {@code kind}, or null when this build knows none. */
  static StateCodec<?> named(String kind) {
    for (StateCodec<?> codec : ALL) {
      if (codec.kind.equals(kind)) {
        return codec;
      }
    }
    return null;
  }

  static void writeBytes(byte[] bytes, DataOutput out) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInput in) throws IOException {
    byte[] bytes = new byte[count(in)];
    in.readFully(bytes);
    return bytes;
  }

  /** A count or length: never negative, whatever the bytes say. */
  static int count(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new java.io.StreamCorruptedException("a negative count: " + count);
    }
    return count;
  }
}
