package org.crtrmotion.ops.cli;

import com.github.luben.zstd.Zstd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crtrmotion.streams.Compression;
import org.crtrmotion.streams.proto.StreamsProto;

/**
 * Compression ratio and speed of the codec the frames use (LZ4 through {@link Compression}) and,
 * for comparison only, zstd at levels 1 and 3, on the same chunks: the payloads frames would carry.
 */
final class CodecBench {
  /** A codec under test; {@code rawLength} is known to the receiver, as in a frame's header. */
  interface Codec {
    String name();

    byte[] compress(byte[] raw);

    byte[] decompress(byte[] packed, int rawLength);
  }

  /** One codec on one corpus. Speeds are of uncompressed bytes. */
  record Result(
      String corpus,
      String codec,
      long rawBytes,
      long compressedBytes,
      int chunks,
      int unshrunkChunks,
      double compressMegabytesPerSecond,
      double decompressMegabytesPerSecond) {
    double ratio() {
      return (double) rawBytes / compressedBytes;
    }
  }

  /** Chunks the codec did not make smaller: LZ4 sends those raw, and expands them for free. */
  private static int unshrunk(List<byte[]> chunks, List<byte[]> packed) {
    int n = 0;
    for (int i = 0; i < chunks.size(); i++) {
      if (packed.get(i).length >= chunks.get(i).length) {
        n++;
      }
    }
    return n;
  }

  /**
   * LZ4 exactly as the encoder calls it: a chunk that does not shrink goes raw, and decompressing
   * it is a copy of nothing.
   */
  static final Codec LZ4 =
      new Codec() {
        @Override
        public String name() {
          return "lz4 (in use)";
        }

        @Override
        public byte[] compress(byte[] raw) {
          Compression.Compressed c = Compression.compress(raw);
          // The raw fallback is marked by its length, as a frame marks it by its codec field.
          return c.bytes();
        }

        @Override
        public byte[] decompress(byte[] packed, int rawLength) {
          StreamsProto.Codec codec =
              packed.length == rawLength ? StreamsProto.Codec.NONE : StreamsProto.Codec.LZ4_BLOCK;
          return Compression.decompress(codec, packed, rawLength);
        }
      };

  static Codec zstd(int level) {
    return new Codec() {
      @Override
      public String name() {
        return "zstd -" + level;
      }

      @Override
      public byte[] compress(byte[] raw) {
        return Zstd.compress(raw, level);
      }

      @Override
      public byte[] decompress(byte[] packed, int rawLength) {
        return Zstd.decompress(packed, rawLength);
      }
    };
  }

  static final List<Codec> ALL = List.of(LZ4, zstd(1), zstd(3));

  private CodecBench() {}

  /**
   * Compresses and expands every chunk, repeating the whole corpus until at least {@code
   * minimumBytes} went through each way, after one unmeasured pass; every chunk must come back
   * equal.
   */
  static Result measure(String corpus, List<byte[]> chunks, Codec codec, long minimumBytes) {
    long raw = chunks.stream().mapToLong(c -> c.length).sum();
    if (raw == 0) {
      throw new IllegalArgumentException(corpus + " is empty");
    }
    int passes = (int) Math.max(1, (minimumBytes + raw - 1) / raw);
    List<byte[]> packed = compressAll(chunks, codec); // warm-up, and the round trip checked
    for (int i = 0; i < chunks.size(); i++) {
      byte[] back = codec.decompress(packed.get(i), chunks.get(i).length);
      if (!Arrays.equals(back, chunks.get(i))) {
        throw new IllegalStateException(
            codec.name() + " did not give " + corpus + " chunk " + i + " back");
      }
    }

    long start = System.nanoTime();
    for (int i = 0; i < passes; i++) {
      packed = compressAll(chunks, codec);
    }
    double compressSeconds = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    for (int i = 0; i < passes; i++) {
      expandAll(chunks, packed, codec);
    }
    double expandSeconds = (System.nanoTime() - start) / 1e9;
    long compressed = packed.stream().mapToLong(c -> c.length).sum();
    double megabytes = raw * (double) passes / 1e6;
    return new Result(
        corpus,
        codec.name(),
        raw,
        compressed,
        chunks.size(),
        unshrunk(chunks, packed),
        megabytes / compressSeconds,
        megabytes / expandSeconds);
  }

  private static List<byte[]> compressAll(List<byte[]> chunks, Codec codec) {
    List<byte[]> packed = new ArrayList<>(chunks.size());
    for (byte[] chunk : chunks) {
      packed.add(codec.compress(chunk));
    }
    return packed;
  }

  private static void expandAll(List<byte[]> chunks, List<byte[]> packed, Codec codec) {
    long expanded = 0;
    for (int i = 0; i < chunks.size(); i++) {
      expanded += codec.decompress(packed.get(i), chunks.get(i).length).length;
    }
    if (expanded != chunks.stream().mapToLong(c -> c.length).sum()) {
      throw new IllegalStateException(codec.name() + " expanded " + expanded + " bytes");
    }
  }
}
