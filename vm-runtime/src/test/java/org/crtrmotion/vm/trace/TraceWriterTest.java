package org.crtrmotion.vm.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceWriterTest {
  private final List<TraceSegment> out = new ArrayList<>();

  private TraceWriter writer(long start, int maxBytes, int maxEvents) {
    return new TraceWriter(start, new TraceWriter.Limits(maxBytes, maxEvents), out::add);
  }

  @Test
  void closesASegmentWhenItReachesTheEventBound() {
    TraceWriter w = writer(100, 4096, 3);
    for (int i = 0; i < 7; i++) {
      w.timeRead(100 + i, i);
    }
    assertEquals(List.of(3, 3), out.stream().map(TraceSegment::eventCount).toList());
    assertEquals(1, w.pendingEvents());
    assertEquals(List.of(0L, 1L), out.stream().map(TraceSegment::sequence).toList());
  }

  @Test
  void closesASegmentBeforeAnEventWouldTakeItPastTheSizeBound() throws Exception {
    TraceWriter w = writer(0, 64, 1000);
    for (int i = 0; i < 100; i++) {
      w.consoleInput(i, 'a');
    }
    w.finish();
    for (TraceSegment s : out) {
      assertTrue(s.eventBytes() <= 64, s.toString());
    }
    assertEquals(100, out.stream().mapToInt(TraceSegment::eventCount).sum());
  }

  @Test
  void segmentsChainTheirInstructionRanges() {
    TraceWriter w = writer(500, 4096, 2);
    w.timeRead(510, 1);
    w.timeRead(520, 2);
    w.timeRead(520, 3);
    w.flush(600);
    w.finish(700);
    assertEquals(List.of(500L, 520L, 600L), out.stream().map(TraceSegment::firstIcount).toList());
    assertEquals(List.of(520L, 600L, 700L), out.stream().map(TraceSegment::lastIcount).toList());
    assertEquals(List.of(false, false, true), out.stream().map(TraceSegment::isFinal).toList());
  }

  @Test
  void eventsAtTheSameInstructionMaySpanTwoSegments() throws Exception {
    TraceWriter w = writer(0, 4096, 2);
    for (int i = 0; i < 5; i++) {
      w.consoleInput(42, 'a' + i);
    }
    w.finish();
    assertEquals(3, out.size());
    List<InputEvent> back = RandomEvents.read(out, 0);
    assertEquals(5, back.size());
    assertEquals('e', back.get(4).value());
  }

  @Test
  void flushClosesOnlyWhenThereIsSomethingNew() {
    TraceWriter w = writer(0, 4096, 100);
    w.flush();
    w.flush(0);
    assertTrue(out.isEmpty());
    w.flush(1000);
    assertEquals(1, out.size(), "progress alone is worth an empty segment");
    assertEquals(0, out.get(0).eventCount());
    w.flush(1000);
    w.flush();
    assertEquals(1, out.size());
    w.irqLine(1000, 7, true);
    w.flush();
    assertEquals(2, out.size());
    assertEquals(1000, out.get(1).lastIcount());
  }

  @Test
  void refusesInstructionCountsThatGoBackwards() {
    TraceWriter w = writer(100, 4096, 100);
    IllegalArgumentException before =
        assertThrows(IllegalArgumentException.class, () -> w.timeRead(99, 0));
    assertEquals(
        "TIME_READ at instruction 99 comes after instruction 100: events must be appended in"
            + " instruction order",
        before.getMessage());
    w.timeRead(200, 0);
    assertThrows(IllegalArgumentException.class, () -> w.consoleInput(199, 0));
    w.flush(300);
    assertThrows(IllegalArgumentException.class, () -> w.wfiWake(250, 0));
    IllegalArgumentException flush =
        assertThrows(IllegalArgumentException.class, () -> w.flush(299));
    assertEquals(
        "cannot flush at instruction 299: the trace already reaches instruction 300",
        flush.getMessage());
    assertThrows(IllegalArgumentException.class, () -> w.finish(10));
  }

  @Test
  void refusesPayloadsTheFormatCannotCarry() {
    TraceWriter w = writer(0, 4096, 100);
    assertThrows(IllegalArgumentException.class, () -> w.irqLine(1, 64, true));
    assertThrows(IllegalArgumentException.class, () -> w.consoleInput(1, 256));
    assertThrows(IllegalArgumentException.class, () -> w.packet(1, -1, new byte[1]));
    assertThrows(
        IllegalArgumentException.class,
        () -> w.packet(1, 0, new byte[TraceFormat.MAX_PACKET_BYTES + 1]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new InputEvent(1, EventKind.TIME_READ, 0, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> InputEvent.timeRead(-1, 0));
    assertEquals(0, w.pendingEvents(), "a refused event leaves nothing behind");
  }

  @Test
  void refusesEverythingAfterFinish() {
    TraceWriter w = writer(0, 4096, 100);
    w.timeRead(5, 5);
    w.finish();
    assertTrue(w.isFinished());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.timeRead(6, 6));
    assertEquals("the trace was finished with segment 0; start a new writer", e.getMessage());
    assertThrows(IllegalStateException.class, w::flush);
    assertThrows(IllegalStateException.class, w::finish);
  }

  @Test
  void limitsMustLeaveRoomForTheReader() {
    assertThrows(IllegalArgumentException.class, () -> new TraceWriter.Limits(10, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TraceWriter.Limits(TraceFormat.MAX_SEGMENT_EVENT_BYTES, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TraceWriter.Limits(4096, TraceFormat.MAX_SEGMENT_EVENTS + 1));
  }

  @Test
  void theWriterKeepsTheOrderItWasGiven() throws Exception {
    List<InputEvent> events = RandomEvents.stream(7, 5000, 0);
    List<TraceSegment> segments = RandomEvents.write(events, 0, new TraceWriter.Limits(200, 9));
    assertEquals(events, RandomEvents.read(segments, 0));
    assertFalse(segments.subList(0, segments.size() - 1).stream().anyMatch(TraceSegment::isFinal));
  }
}
