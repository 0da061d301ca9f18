package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.crtrmotion.streams.proto.StreamsProto.Codec;
import org.junit.jupiter.api.Test;

/** The codec decisions, with explicit caps, compressor speed and ratios. */
class CodecPolicyTest {
  private static final long COMPRESSOR = 250_000_000L; // B/s
  private static final double MIN_RATIO = 1.25;
  private static final int PROBE = 4;

  private final AtomicLong cap = new AtomicLong();
  private final CodecPolicy adaptive = CodecPolicy.adaptive(cap::get, COMPRESSOR, MIN_RATIO, PROBE);

  @Test
  void noneNeverCompressesAndLz4AlwaysTries() {
    CodecPolicy.Decider none = CodecPolicy.none().decider();
    CodecPolicy.Decider lz4 = CodecPolicy.lz4().decider();
    for (int i = 0; i < 3; i++) {
      assertEquals(Codec.NONE, none.choose());
      assertEquals(Codec.LZ4_BLOCK, lz4.choose());
      lz4.observe(Codec.LZ4_BLOCK, 1000, 1000); // not shrinking changes nothing for lz4
    }
  }

  @Test
  void adaptiveSendsRawOnAnUncappedLink() {
    cap.set(BandwidthCap.UNLIMITED);
    assertEquals(Codec.NONE, adaptive.decider().choose());
  }

  @Test
  void adaptiveSendsRawWhenTheCapIsAtOrAboveTheCompressorSpeed() {
    cap.set(250_000_000L);
    assertEquals(Codec.NONE, adaptive.decider().choose());
    cap.set(1_000_000_000L);
    assertEquals(Codec.NONE, adaptive.decider().choose());
  }

  @Test
  void adaptiveCompressesOnACapBelowTheCompressorSpeedWhileFramesShrinkEnough() {
    cap.set(100_000_000L);
    CodecPolicy.Decider d = adaptive.decider();
    assertEquals(Codec.LZ4_BLOCK, d.choose(), "the first frame measures");
    d.observe(Codec.LZ4_BLOCK, 300_000, 100_000); // 3.0
    assertEquals(3.0, d.recentRatio());
    assertEquals(Codec.LZ4_BLOCK, d.choose());
  }

  @Test
  void adaptiveFallsBackToRawWhenRecentFramesDoNotShrinkEnoughAndProbesEveryFewFrames() {
    cap.set(100_000_000L);
    CodecPolicy.Decider d = adaptive.decider();
    d.observe(Codec.LZ4_BLOCK, 100_000, 100_000); // random pages: 1.0
    assertEquals(1.0, d.recentRatio());
    // Probe interval 4: three raw frames, then one compressed to look again.
    for (int i = 0; i < 3; i++) {
      assertEquals(Codec.NONE, d.choose(), "frame " + i);
      d.observe(Codec.NONE, 100_000, 100_000);
    }
    assertEquals(Codec.LZ4_BLOCK, d.choose(), "the probe");
  }

  @Test
  void aRecentRatioFollowsTheDataAnEighthPerFrame() {
    cap.set(100_000_000L);
    CodecPolicy.Decider d = adaptive.decider();
    d.observe(Codec.LZ4_BLOCK, 100_000, 100_000); // 1.0
    d.observe(Codec.LZ4_BLOCK, 300_000, 100_000); // 3.0: 1.0 + (3.0 - 1.0) / 8 = 1.25
    assertEquals(1.25, d.recentRatio(), 1e-12);
    assertEquals(Codec.LZ4_BLOCK, d.choose(), "1.25 is enough");
    d.observe(Codec.LZ4_BLOCK, 100_000, 100_000); // 1.25 + (1.0 - 1.25) / 8 = 1.21875
    assertEquals(1.21875, d.recentRatio(), 1e-12);
    assertEquals(Codec.NONE, d.choose());
  }

  @Test
  void aCapLiftedWhileStreamingSwitchesToRawAtTheNextFrame() {
    cap.set(100_000_000L);
    CodecPolicy.Decider d = adaptive.decider();
    d.observe(Codec.LZ4_BLOCK, 300_000, 100_000);
    assertEquals(Codec.LZ4_BLOCK, d.choose());
    cap.set(BandwidthCap.UNLIMITED);
    assertEquals(Codec.NONE, d.choose());
    cap.set(50_000_000L);
    assertEquals(Codec.LZ4_BLOCK, d.choose());
  }

  @Test
  void adaptiveReadsTheBandwidthCapInForce() {
    BandwidthCap link = new BandwidthCap(BandwidthCap.UNLIMITED);
    CodecPolicy.Decider d = CodecPolicy.adaptive(link).decider();
    assertEquals(Codec.NONE, d.choose());
    link.setBytesPerSecond(CodecPolicy.DEFAULT_COMPRESSOR_BYTES_PER_SECOND / 2);
    assertEquals(Codec.LZ4_BLOCK, d.choose());
  }

  @Test
  void badFiguresAreRefusedByName() {
    IllegalArgumentException speed =
        assertThrows(
            IllegalArgumentException.class, () -> CodecPolicy.adaptive(cap::get, 0, 1.5, 4));
    assertTrue(
        speed.getMessage().contains("compressor speed must be positive"), speed.getMessage());
    IllegalArgumentException ratio =
        assertThrows(
            IllegalArgumentException.class, () -> CodecPolicy.adaptive(cap::get, 1, 0.5, 4));
    assertTrue(ratio.getMessage().contains("minimum ratio must be at least 1"), ratio.getMessage());
    IllegalArgumentException probe =
        assertThrows(
            IllegalArgumentException.class, () -> CodecPolicy.adaptive(cap::get, 1, 1.5, 0));
    assertTrue(probe.getMessage().contains("probe interval must be positive"), probe.getMessage());
  }
}
