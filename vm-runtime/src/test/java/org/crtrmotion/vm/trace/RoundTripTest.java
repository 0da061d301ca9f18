package org.crtrmotion.vm.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripTest {
  private static final long START = 1_234_567;

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 0xC0FFEE, 20240601})
  void randomStreamsComeBackUnchangedThroughSegmentsAndAFile(long seed) throws Exception {
    List<InputEvent> events = RandomEvents.stream(seed, 20_000, START);
    List<TraceSegment> segments =
        RandomEvents.write(events, START, new TraceWriter.Limits(4096, 500));
    assertTrue(segments.size() > 10, "the bounds split the stream: " + segments.size());

    assertEquals(events, RandomEvents.read(segments, START));

    Path file = dir.resolve("seed-" + seed + ".trace");
    TraceHeader header = TraceHeader.virt(128L << 20, TimeMode.HOST, START);
    TraceFiles.write(file, header, segments);
    Trace back = TraceFiles.read(file);
    assertEquals(header, back.header());
    assertEquals(segments, back.segments());
    assertEquals(events, back.events());
    assertEquals(events.get(events.size() - 1).instructionCount(), back.endIcount());
  }

  @Test
  void extremeValuesOfEveryFieldSurvive() throws Exception {
    List<InputEvent> events = RandomEvents.edges(0);
    List<TraceSegment> segments = RandomEvents.write(events, 0, TraceWriter.Limits.DEFAULT);
    assertEquals(events, RandomEvents.read(segments, 0));
  }

  @Test
  void anEmptyTraceIsOneEmptyFinalSegment() throws Exception {
    List<TraceSegment> segments = RandomEvents.write(List.of(), START, TraceWriter.Limits.DEFAULT);
    assertEquals(1, segments.size());
    assertTrue(segments.get(0).isFinal());
    Path file = dir.resolve("empty.trace");
    TraceFiles.write(file, TraceHeader.virt(1 << 20, TimeMode.VIRTUAL, START), segments);
    Trace back = TraceFiles.read(file);
    assertEquals(List.of(), back.events());
    assertEquals(START, back.endIcount());
  }

  @Test
  void aPacketLargerThanTheSegmentBoundTravelsInASegmentOfItsOwn() throws Exception {
    byte[] jumbo = new byte[70_000];
    jumbo[69_999] = 9;
    List<InputEvent> events =
        List.of(
            InputEvent.timeRead(10, 5),
            InputEvent.packet(11, 0, jumbo),
            InputEvent.consoleInput(12, 'x'));
    List<TraceSegment> segments = RandomEvents.write(events, 0, new TraceWriter.Limits(1024, 100));
    assertEquals(List.of(1, 1, 1), segments.stream().map(TraceSegment::eventCount).toList());
    assertEquals(events, RandomEvents.read(segments, 0));
  }
}
