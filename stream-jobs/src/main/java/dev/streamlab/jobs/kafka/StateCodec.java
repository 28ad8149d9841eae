package dev.streamlab.jobs.kafka;

import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * How one kind of job state is written in a state file ({@link StateStore}), in an encoding of its
 * own that no Java class layout decides: the kind's name, then its fields, big-endian, as each
 * codec's documentation says. A new field or kind is a new format version, read beside the old. The
 * states of a job that keeps none ({@code none}) and a {@link Tally} ({@code tally}) are here; each
 * job's own state has its codec beside it, and a build's codecs are given to the store as {@link
 * StateCodecs}.
 *
 * @param <S> the state
 */
public abstract class StateCodec<S extends Serializable> {

  /** The state of a job that keeps none (its offsets only): no bytes. */
  static final StateCodec<KafkaInput.Stateless> NONE =
      new StateCodec<>("none", KafkaInput.Stateless.class) {
        @Override
        protected void write(KafkaInput.Stateless state, DataOutput out) {}

        @Override
        protected KafkaInput.Stateless read(DataInput in) {
          return KafkaInput.Stateless.INSTANCE;
        }
      };

  /**
   * A {@link Tally}: its statistics as {@link Stats#toBytes} writes them (an int length, then the
   * bytes), then the rejected tokens and the empty lines, two longs.
   */
  public static final StateCodec<Tally> TALLY =
      new StateCodec<>("tally", Tally.class) {
        @Override
        protected void write(Tally tally, DataOutput out) throws IOException {
          writeBytes(tally.stats().toBytes(), out);
          out.writeLong(tally.rejected());
          out.writeLong(tally.emptyLines());
        }

        @Override
        protected Tally read(DataInput in) throws IOException {
          return new Tally(Stats.fromBytes(readBytes(in)), in.readLong(), in.readLong());
        }
      };

  private final String kind;
  private final Class<S> type;

  /**
   * A codec of the states of class {@code type}, named {@code kind} in the state file: a name no
   * other codec has, never changed once written.
   */
  protected StateCodec(String kind, Class<S> type) {
    this.kind = kind;
    this.type = type;
  }

  /** The kind's name, written before the state. */
  public final String kind() {
    return kind;
  }

  /** Writes {@code state}'s fields, as the codec's documentation says. */
  protected abstract void write(S state, DataOutput out) throws IOException;

  /** Reads a state that {@link #write} wrote. */
  protected abstract S read(DataInput in) throws IOException;

  /** Writes {@code state}, as another codec's fields: {@link #write} from outside. */
  public final void writeTo(S state, DataOutput out) throws IOException {
    write(state, out);
  }

  /** Reads a state of this kind, as another codec's fields: {@link #read} from outside. */
  public final S readFrom(DataInput in) throws IOException {
    return read(in);
  }

  /** The class of the states this codec writes. */
  final Class<S> type() {
    return type;
  }

  /** Writes {@code state}, which must be of this codec's type. */
  final void writeState(Serializable state, DataOutput out) throws IOException {
    write(type.cast(state), out);
  }

  /** Writes {@code bytes}: an int length, then the bytes. */
  protected static void writeBytes(byte[] bytes, DataOutput out) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** Reads what {@link #writeBytes} wrote. */
  protected static byte[] readBytes(DataInput in) throws IOException {
    byte[] bytes = new byte[count(in)];
    in.readFully(bytes);
    return bytes;
  }

  /**
   * A count or length: never negative, and never more than the bytes left to read (each item takes
   * one byte at least), whatever the bytes say, so that a file that lies cannot make a reader
   * allocate more than the file holds.
   */
  protected static int count(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new java.io.StreamCorruptedException("a negative count: " + count);
    }
    if (in instanceof java.io.InputStream stream && count > stream.available()) {
      throw new java.io.StreamCorruptedException(
          "a count of " + count + " where " + stream.available() + " bytes are left");
    }
    return count;
  }
}
