package dev.streamlab.variance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The portable binary form of a {@link Stats}, version 1, as {@link Stats#toBytes} documents it:
 * {@value #LENGTH} bytes, big-endian, checksummed with CRC-32C. The doubles are the state itself
 * (shift and double-doubles), not statistics derived from it, so decoding gives back the same value
 * bit for bit.
 */
final class StatsEncoding {

  /** The length of the encoding of version 1. */
  static final int LENGTH = 56;

  private static final byte MAGIC_0 = 'S';
  private static final byte MAGIC_1 = 'V';
  private static final byte VERSION = 1;
  private static final int CHECKED = LENGTH - Integer.BYTES;

  private StatsEncoding() {}

  static byte[] encode(
      long count, double shift, double sumHi, double sumLo, double squaresHi, double squaresLo) {
    ByteBuffer out = ByteBuffer.allocate(LENGTH).order(ByteOrder.BIG_ENDIAN);
    out.put(MAGIC_0).put(MAGIC_1).put(VERSION).put((byte) 0).putLong(count);
    for (double value : new double[] {shift, sumHi, sumLo, squaresHi, squaresLo}) {
      out.putLong(Double.doubleToRawLongBits(value));
    }
    out.putInt((int) checksum(out.array()));
    return out.array();
  }

  static Stats decode(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("bytes must not be null");
    }
    if (bytes.length < 4 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new IllegalArgumentException("not an encoded Stats: it does not start with 'SV'");
    }
    if (bytes[2] != VERSION) {
      throw new IllegalArgumentException(
          "an encoded Stats of version "
              + Byte.toUnsignedInt(bytes[2])
              + ": this library reads version "
              + VERSION);
    }
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "an encoded Stats of version 1 has " + LENGTH + " bytes, this has " + bytes.length);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int stored = in.getInt(CHECKED);
    if (stored != (int) checksum(bytes)) {
      throw new IllegalArgumentException("corrupt encoded Stats: its checksum does not match");
    }
    if (bytes[3] != 0) {
      throw new IllegalArgumentException(
          "an encoded Stats with flags " + Byte.toUnsignedInt(bytes[3]) + ": version 1 has none");
    }
    long count = in.getLong(4);
    double shift = in.getDouble(12);
    DoubleDouble sum = new DoubleDouble(in.getDouble(20), in.getDouble(28));
    DoubleDouble squares = new DoubleDouble(in.getDouble(36), in.getDouble(44));
    if (count < 0) {
      throw new IllegalArgumentException("corrupt encoded Stats: a count of " + count);
    }
    if (count == 0) {
      for (int offset = 12; offset < CHECKED; offset += Double.BYTES) {
        if (in.getLong(offset) != 0) {
          throw new IllegalArgumentException("corrupt encoded Stats: no values but non-zero sums");
        }
      }
      return Stats.empty();
    }
    return new Stats(count, shift, sum, squares);
  }

  private static long checksum(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, CHECKED);
    return crc.getValue();
  }
}
