package org.crtrmotion.vm.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded event streams shaped like a recording: mostly time reads, some of everything else. */
final class RandomEvents {
  private RandomEvents() {}

  static List<InputEvent> stream(long seed, int count, long startIcount) {
    SplittableRandom random = new SplittableRandom(seed);
    List<InputEvent> out = new ArrayList<>(count);
    long icount = startIcount;
    long mtime = random.nextLong(1L << 40);
    for (int i = 0; i < count; i++) {
      // A quarter of the events share the previous one's instruction.
      icount +=
          random.nextInt(4) == 0 ? 0 : 1 + random.nextLong(random.nextBoolean() ? 50 : 1 << 20);
      mtime += random.nextInt(10) == 0 ? -random.nextInt(100) : random.nextInt(1 << 16);
      int roll = random.nextInt(100);
      if (roll < 60) {
        out.add(InputEvent.timeRead(icount, mtime));
      } else if (roll < 75) {
        out.add(InputEvent.irqLine(icount, random.nextInt(64), random.nextBoolean()));
      } else if (roll < 88) {
        out.add(InputEvent.consoleInput(icount, random.nextInt(256)));
      } else if (roll < 95) {
        out.add(InputEvent.wfiWake(icount, mtime));
      } else {
        byte[] frame = new byte[random.nextInt(random.nextBoolean() ? 64 : 1600)];
        random.nextBytes(frame);
        out.add(InputEvent.packet(icount, random.nextInt(3), frame));
      }
    }
    return out;
  }

  /** Every value the encoding treats specially: extremes of each field. */
  static List<InputEvent> edges(long startIcount) {
    long i = startIcount;
    return List.of(
        InputEvent.timeRead(i, 0),
        InputEvent.timeRead(i, Long.MAX_VALUE),
        InputEvent.timeRead(i, Long.MIN_VALUE),
        InputEvent.timeRead(i, -1),
        InputEvent.wfiWake(i + 1, 0),
        InputEvent.irqLine(i + 1, 0, false),
        InputEvent.irqLine(i + 1, 63, true),
        InputEvent.consoleInput(i + 2, 0),
        InputEvent.consoleInput(i + 2, 255),
        InputEvent.packet(i + 3, 0, new byte[0]),
        InputEvent.packet(i + 3, Integer.MAX_VALUE, new byte[] {1, 2, 3}),
        InputEvent.timeRead(Long.MAX_VALUE, 7));
  }

  static List<TraceSegment> write(
      List<InputEvent> events, long startIcount, TraceWriter.Limits limits) {
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(startIcount, limits, segments::add);
    events.forEach(writer::append);
    writer.finish();
    return segments;
  }

  static List<InputEvent> read(List<TraceSegment> segments, long startIcount)
      throws TraceFormatException {
    TraceReader reader = new TraceReader(startIcount);
    List<InputEvent> out = new ArrayList<>();
    for (TraceSegment s : segments) {
      out.addAll(reader.accept(TraceSegment.parseFrom(s.toProto().toByteArray())));
    }
    return out;
  }
}
