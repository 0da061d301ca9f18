package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.junit.jupiter.api.Test;

/** The LZ4 block codec through the native safe decompressor. */
class CompressionTest {
  private static final byte[] TEXT =
      "the same words again and again, the same words again and again, "
          .repeat(200)
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  void aCompressibleChunkShrinksAndExpandsToTheSameBytes() {
    Compression.Compressed c = Compression.compress(TEXT);

    assertEquals(Codec.LZ4_BLOCK, c.codec());
    assertTrue(c.bytes().length < TEXT.length / 10, "compressed to " + c.bytes().length);
    assertArrayEquals(TEXT, Compression.decompress(c.codec(), c.bytes(), TEXT.length));
  }

  @Test
  void aBlockThatExpandsToFewerBytesThanTheHeaderSaysIsRefusedNamingBoth() {
    Compression.Compressed c = Compression.compress(TEXT);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Compression.decompress(c.codec(), c.bytes(), TEXT.length + 1));
    assertTrue(
        e.getMessage().contains(TEXT.length + " bytes where the header says " + (TEXT.length + 1)),
        e.getMessage());
  }

  @Test
  void aTruncatedBlockIsRefused() {
    Compression.Compressed c = Compression.compress(TEXT);
    byte[] cut = java.util.Arrays.copyOf(c.bytes(), c.bytes().length / 2);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Compression.decompress(Codec.LZ4_BLOCK, cut, TEXT.length));
    assertTrue(e.getMessage().startsWith("LZ4 block"), e.getMessage());
  }
}
