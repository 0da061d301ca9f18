package org.crtrmotion.vm.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceStatsTest {
  @TempDir Path dir;

  @Test
  void countsEventsAndBytesByKind() throws Exception {
    List<InputEvent> events = RandomEvents.stream(5, 10_000, 0);
    List<TraceSegment> segments = RandomEvents.write(events, 0, TraceWriter.Limits.DEFAULT);
    TraceStats stats = TraceStats.of(segments);

    assertEquals(segments.size(), stats.segments());
    assertEquals(events.size(), stats.events());
    for (EventKind kind : EventKind.values()) {
      assertEquals(
          events.stream().filter(e -> e.kind() == kind).count(),
          stats.eventsByKind().get(kind),
          kind.toString());
    }
    assertEquals(
        stats.eventBytes(),
        stats.eventBytesByKind().values().stream().mapToLong(Long::longValue).sum());

    Path file = dir.resolve("t.trace");
    TraceHeader header = TraceHeader.virt(1 << 30, TimeMode.HOST, 0);
    TraceFiles.write(file, header, segments);
    long headerBytes = header.toProto().getSerializedSize() + 1;
    assertEquals(Files.size(file) - headerBytes, stats.wireBytes());

    for (EventKind kind : EventKind.values()) {
      System.out.printf(
          "%-13s %6d events %7.2f bytes each%n",
          kind, stats.eventsByKind().get(kind), stats.bytesPerEvent(kind));
    }
  }

  @Test
  void relatesBytesToInstructionsAndGuestTime() throws Exception {
    List<TraceSegment> segments = new java.util.ArrayList<>();
    TraceWriter w = new TraceWriter(1_000_000, segments::add);
    for (int i = 1; i <= 1000; i++) {
      w.timeRead(1_000_000 + 1000L * i, 100L * i);
    }
    w.finish(3_000_000);
    TraceStats stats = TraceStats.of(segments);
    assertEquals(2_000_000, stats.instructions());
    assertEquals(stats.wireBytes() / 2.0, stats.bytesPerMillionInstructions(), 1e-9);
    // 100_000 ticks of 10 MHz = 10 ms of guest time.
    assertEquals(stats.wireBytes() * 100.0, stats.bytesPerGuestSecond(0, 100_000), 1e-6);
    assertTrue(Double.isNaN(stats.bytesPerGuestSecond(5, 5)));
    assertTrue(Double.isNaN(stats.bytesPerEvent(EventKind.PACKET)));
  }

  /**
   * A guest reading the clock every 1000 to 3000 instructions on a 100 MIPS host: instruction
   * deltas and mtime deltas both fit two varint bytes, plus the tag.
   */
  @Test
  void aRealisticTimeReadCostsFiveBytes() throws Exception {
    SplittableRandom random = new SplittableRandom(99);
    List<TraceSegment> segments = new java.util.ArrayList<>();
    TraceWriter w = new TraceWriter(0, segments::add);
    long icount = 0;
    long mtime = 1L << 33;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      long delta = 1000 + random.nextInt(2000);
      icount += delta;
      mtime += delta / 10 + random.nextInt(5);
      w.timeRead(icount, mtime);
    }
    w.finish();
    TraceStats stats = TraceStats.of(segments);
    double perEvent = stats.wireBytes() / (double) n;
    System.out.printf(
        "TIME_READ: %.3f bytes each on the wire, %.1f bytes per million instructions%n",
        perEvent, stats.bytesPerMillionInstructions());
    // Five bytes, and a few more for the first read of each segment, where the delta restarts.
    assertTrue(stats.bytesPerEvent(EventKind.TIME_READ) <= 5.01, stats.toString());
    assertTrue(perEvent <= 5.01, "segment overhead stays small: " + perEvent);
  }

  @Test
  void encodingAMillionEventsIsQuick() throws Exception {
    int n = 1_000_000;
    long[] bytes = {0};
    TraceWriter w = new TraceWriter(0, s -> bytes[0] += s.eventBytes());
    SplittableRandom random = new SplittableRandom(3);
    long icount = 0;
    long mtime = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      icount += random.nextInt(3000);
      mtime += random.nextInt(300);
      if ((i & 7) == 0) {
        w.irqLine(icount, 7, (i & 8) != 0);
      } else {
        w.timeRead(icount, mtime);
      }
    }
    w.finish();
    long nanos = System.nanoTime() - t0;
    System.out.printf(
        "encoded %d events (%d bytes) in %.1f ms: %.1f M events/s%n",
        n, bytes[0], nanos / 1e6, n * 1e3 / nanos);
  }
}
