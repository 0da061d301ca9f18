package org.crtrmotion.streams;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;

/**
 * Real segments from vm-runtime's {@link TraceWriter}, made only when the stream pulls, so that
 * {@link #produced()} shows how far the producer ran ahead of its consumer.
 */
final class SyntheticTrace implements Iterator<TraceSegment> {
  static final long START_ICOUNT = 1_000_000;

  private final ArrayDeque<TraceSegment> ready = new ArrayDeque<>();
  private final TraceWriter writer;
  private final Random random = new Random(42);
  private final AtomicLong produced = new AtomicLong();
  private final long events;
  private long appended;
  private long icount = START_ICOUNT;

  SyntheticTrace(long events, TraceWriter.Limits limits) {
    this.events = events;
    this.writer = new TraceWriter(START_ICOUNT, limits, ready::add);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !writer.isFinished()) {
      if (appended == events) {
        writer.finish(icount + 1);
      } else {
        appendOne();
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public TraceSegment next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    produced.incrementAndGet();
    return ready.poll();
  }

  private void appendOne() {
    icount += 1 + random.nextInt(5_000);
    switch (random.nextInt(4)) {
      case 0 -> writer.timeRead(icount, icount / 10 + random.nextInt(100));
      case 1 -> writer.irqLine(icount, 1 + random.nextInt(10), random.nextBoolean());
      case 2 -> writer.consoleInput(icount, random.nextInt(256));
      default -> {
        byte[] packet = new byte[60 + random.nextInt(200)];
        random.nextBytes(packet);
        writer.packet(icount, 0, packet);
      }
    }
    appended++;
  }

  /** Segments handed to the stream so far. */
  long produced() {
    return produced.get();
  }

  long events() {
    return events;
  }
}
