package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundLogTest {
  private static final String STREAM = "vm-1/trace";
  // Random payloads do not compress, so every frame is 1,000 payload bytes plus a small header.
  private static final int PAYLOAD_BYTES = 1_000;

  @TempDir Path spill;

  private final FrameEncoder encoder = new FrameEncoder(STREAM);
  private final Random random = new Random(7);

  private ByteString frame() {
    byte[] bytes = new byte[PAYLOAD_BYTES];
    random.nextBytes(bytes);
    return encoder.encode(FramePayload.of(FrameKind.TRACE_SEGMENTS, bytes));
  }

  private List<ByteString> offerAll(OutboundLog log, int count) {
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ByteString frame = frame();
      frames.add(frame);
      assertTrue(log.offer(frame).toCompletableFuture().isDone(), "frame " + i + " was held");
    }
    return frames;
  }

  /**
   * The size of frames 1 to 127, the largest of the first 128: frame 0 is two bytes shorter,
   * because proto3 leaves a zero sequence number out.
   */
  private static long frameBytes() {
    OutboundLogTest other = new OutboundLogTest();
    other.frame();
    return other.frame().size();
  }

  private List<Path> spillFiles() throws IOException {
    try (Stream<Path> files = Files.list(spill)) {
      return files.toList();
    }
  }

  private OutboundLog log(long memoryBytes, long diskBudgetBytes, long spillFileBytes) {
    return new OutboundLog(
        STREAM,
        new OutboundLog.Options(memoryBytes, spill, diskBudgetBytes, spillFileBytes, 0.75, 0.25));
  }

  @Test
  void framesBeyondTheMemoryBoundSpillAndAreReadBackInOrder() {
    OutboundLog log = log(3 * frameBytes(), 1 << 20, 1 << 20);
    List<ByteString> frames = offerAll(log, 10);

    OutboundLog.Stats stats = log.stats();
    assertEquals(3, stats.memoryFrames());
    assertEquals(
        frames.subList(0, 3).stream().mapToLong(ByteString::size).sum(), stats.memoryBytes());
    assertEquals(7, stats.spillFrames());
    assertEquals(7, stats.framesSpilled());
    assertEquals(1, stats.spillFiles());
    assertEquals(
        SpillFile.FILE_HEADER_BYTES + 7 * SpillFile.recordBytes(frameBytes()), stats.spillBytes());
    for (int i = 0; i < 10; i++) {
      assertEquals(frames.get(i), log.read(i), "frame " + i);
    }
    assertNull(log.read(10), "frame 10 is not offered yet");
  }

  @Test
  void memoryHighWaterNeverExceedsTheBound() {
    long bound = 5 * frameBytes() + frameBytes() / 2;
    OutboundLog log = log(bound, 1 << 20, 1 << 20);
    offerAll(log, 8);
    log.acknowledge(4);
    offerAll(log, 8);

    OutboundLog.Stats stats = log.stats();
    assertTrue(stats.memoryHighWaterBytes() > 4 * frameBytes(), "five frames were in memory");
    assertTrue(stats.memoryHighWaterBytes() <= bound, "high water " + stats.memoryHighWaterBytes());
  }

  @Test
  void acknowledgedFramesLeaveMemoryAndFullyAcknowledgedSpillFilesAreDeleted() throws Exception {
    // No memory: every frame spills, two records to a file.
    long perFile = SpillFile.FILE_HEADER_BYTES + 2 * SpillFile.recordBytes(frameBytes());
    OutboundLog log = log(0, 1 << 20, perFile);
    offerAll(log, 6);
    assertEquals(3, spillFiles().size());

    log.acknowledge(3); // frames 0-2: the first file, half of the second
    OutboundLog.Stats stats = log.stats();
    assertEquals(2, spillFiles().size());
    assertEquals(2, stats.spillFiles());
    assertEquals(3, stats.spillFrames());
    assertEquals(3, stats.framesAcknowledged());
    assertEquals(3, stats.acknowledgedSequence());
    assertEquals(3 * frameBytes(), stats.heldBytes());

    log.acknowledge(6);
    assertEquals(List.of(), spillFiles());
    assertEquals(0, log.stats().spillBytes());
    assertEquals(0, log.stats().heldFrames());
    assertEquals(0, log.stats().heldBytes());
    assertTrue(log.stats().spillHighWaterBytes() > 2 * perFile);
  }

  @Test
  void anAcknowledgedFrameCannotBeReadAgain() {
    OutboundLog log = log(1 << 20, 1 << 20, 1 << 20);
    offerAll(log, 3);
    log.acknowledge(2);
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> log.read(1));
    assertTrue(refused.getMessage().contains("frame 1 was acknowledged"), refused.getMessage());
  }

  @Test
  void aFrameOutOfSequenceIsRefused() {
    OutboundLog log = log(1 << 20, 1 << 20, 1 << 20);
    frame(); // frame 0 is never offered
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> log.offer(frame()));
    assertTrue(
        refused.getMessage().contains("offered frame 1 where frame 0 comes next"),
        refused.getMessage());
  }

  @Test
  void aFullLogMakesTheProducerWaitUntilAnAcknowledgementMakesRoom() {
    // One frame to a spill file, so that acknowledging a frame deletes its file.
    long perFile = SpillFile.FILE_HEADER_BYTES + SpillFile.recordBytes(frameBytes());
    OutboundLog log = log(0, 3 * perFile, perFile);
    offerAll(log, 3);

    ByteString fourth = frame();
    CompletableFuture<Void> placed = log.offer(fourth).toCompletableFuture();
    assertFalse(placed.isDone(), "no room for frame 3 before an acknowledgement");
    assertTrue(log.stats().offerWaiting());
    assertNull(log.read(3), "a waiting frame is not in the log yet");
    assertThrows(IllegalStateException.class, () -> log.offer(frame()));

    log.acknowledge(1);
    assertTrue(placed.isDone(), "the acknowledgement made room");
    assertFalse(log.stats().offerWaiting());
    assertEquals(fourth, log.read(3));
  }

  @Test
  void throttleRisesPastTheHighWaterMarkAndFallsUnderTheLowWaterMark() {
    // Eight one-frame files fill the budget; high water is 75 % (six files), low water 25 %.
    long perFile = SpillFile.FILE_HEADER_BYTES + SpillFile.recordBytes(frameBytes());
    OutboundLog log = log(0, 8 * perFile, perFile);
    List<OutboundLog.Throttle> signals = new ArrayList<>();
    log.onThrottle(signals::add);

    offerAll(log, 5);
    assertFalse(log.throttle().raised(), "five of eight files stay under the high-water mark");
    offerAll(log, 2);
    assertTrue(log.throttle().raised());
    assertTrue(
        log.throttle().reason().contains("frames 0 to 6 await acknowledgement"),
        log.throttle().reason());

    log.acknowledge(3); // four files left: above the low-water mark
    assertTrue(log.throttle().raised());
    log.acknowledge(6); // one file left
    assertFalse(log.throttle().raised());
    assertTrue(log.throttle().reason().contains("caught up"), log.throttle().reason());

    assertEquals(2, signals.size());
    assertEquals(1, log.stats().throttleEpisodes());
  }

  @Test
  void aTruncatedSpillFileIsReportedWithTheFrameItCutShort() throws Exception {
    OutboundLog log = log(0, 1 << 20, 1 << 20);
    List<ByteString> frames = offerAll(log, 3);
    Path file = spillFiles().get(0);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 10);
    }

    assertEquals(frames.get(1), log.read(1), "frames before the cut still read");
    SpillException refused = assertThrows(SpillException.class, () -> log.read(2));
    assertTrue(refused.getMessage().contains("is truncated: frame 2"), refused.getMessage());
    assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
  }

  @Test
  void aCorruptSpillFileIsReportedWithTheFrame() throws Exception {
    OutboundLog log = log(0, 1 << 20, 1 << 20);
    List<ByteString> frames = offerAll(log, 3);
    Path file = spillFiles().get(0);
    long secondFramesLastByte =
        SpillFile.FILE_HEADER_BYTES
            + SpillFile.recordBytes(frames.get(0).size())
            + SpillFile.recordBytes(frames.get(1).size())
            - 1;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, secondFramesLastByte);
      one.put(0, (byte) (one.get(0) ^ 0x40));
      one.rewind();
      channel.write(one, secondFramesLastByte);
    }

    SpillException refused = assertThrows(SpillException.class, () -> log.read(1));
    assertTrue(refused.getMessage().contains("is corrupt: frame 1"), refused.getMessage());
    assertTrue(refused.getMessage().contains("CRC32C"), refused.getMessage());
  }

  @Test
  void failingTheLogFailsTheWaitingProducerAndDeletesTheSpill() throws Exception {
    long budget = SpillFile.FILE_HEADER_BYTES + SpillFile.recordBytes(frameBytes());
    OutboundLog log = log(0, budget, budget);
    offerAll(log, 1);
    CompletableFuture<Void> placed = log.offer(frame()).toCompletableFuture();

    log.fail(new IllegalStateException("receiver gone"));
    assertTrue(placed.isCompletedExceptionally());
    assertEquals(List.of(), spillFiles());
  }
}
