package org.crtrmotion.streams;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.crtrmotion.streams.proto.StreamsProto.Codec;

/**
 * LZ4 block compression of payloads. A payload that does not shrink is sent raw: random or
 * already-compressed guest pages would otherwise cost CPU on both ends and a few bytes more. Public
 * so that {@code crtr bench streams} measures the codec the frames really use.
 */
public final class Compression {
  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
  // The safe decompressor: in this lz4-java the "fast" one is the pure-Java safe code whatever the
  // factory (its native form was unsafe on hostile input), while the safe one runs native through
  // JNI, several times faster (crtr bench streams).
  private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

  public record Compressed(Codec codec, byte[] bytes) {}

  private Compression() {}

  public static Compressed compress(byte[] raw) {
    byte[] out = new byte[COMPRESSOR.maxCompressedLength(raw.length)];
    int n = COMPRESSOR.compress(raw, 0, raw.length, out, 0, out.length);
    if (n >= raw.length) {
      return new Compressed(Codec.NONE, raw);
    }
    return new Compressed(Codec.LZ4_BLOCK, java.util.Arrays.copyOf(out, n));
  }

  /**
   * Expands {@code wire} to exactly {@code length} bytes.
   *
   * @throws IllegalArgumentException if the bytes are not an LZ4 block of that length
   */
  public static byte[] decompress(Codec codec, byte[] wire, int length) {
    if (codec == Codec.NONE) {
      if (wire.length != length) {
        throw new IllegalArgumentException(
            wire.length + " raw bytes where the header says " + length);
      }
      return wire;
    }
    return decompress(codec, wire, 0, wire.length, length);
  }

  /**
   * Expands bytes {@code [offset, offset + wireLength)} of {@code wire} to exactly {@code length}
   * bytes, into a new array (for {@link Codec#NONE} too: a copy of the slice).
   *
   * @throws IllegalArgumentException if the bytes are not an LZ4 block of that length
   */
  public static byte[] decompress(
      Codec codec, byte[] wire, int offset, int wireLength, int length) {
    switch (codec) {
      case NONE:
        if (wireLength != length) {
          throw new IllegalArgumentException(
              wireLength + " raw bytes where the header says " + length);
        }
        return java.util.Arrays.copyOfRange(wire, offset, offset + wireLength);
      case LZ4_BLOCK:
        byte[] out = new byte[length];
        try {
          int expanded = DECOMPRESSOR.decompress(wire, offset, wireLength, out, 0, length);
          if (expanded != length) {
            throw new IllegalArgumentException(
                "LZ4 block expands to " + expanded + " bytes where the header says " + length);
          }
        } catch (LZ4Exception e) {
          throw new IllegalArgumentException("LZ4 block does not expand: " + e.getMessage(), e);
        }
        return out;
      default:
        throw new IllegalArgumentException("codec " + codec + " is not known");
    }
  }
}
