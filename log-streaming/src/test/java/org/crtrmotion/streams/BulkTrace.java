package org.crtrmotion.streams;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;

/**
 * A large trace made cheaply: received-packet events of about 1.5 KiB each, sliced at random
 * offsets from a pool of random bytes, so that segments are real and barely compressible without
 * generating every byte afresh. Segments are made only when the stream pulls.
 */
final class BulkTrace implements Iterator<TraceSegment> {
  static final long START_ICOUNT = 5_000_000;
  private static final int PACKET_BYTES = 1_500;
  private static final TraceWriter.Limits LIMITS = new TraceWriter.Limits(64 << 10, 16 << 10);

  private final byte[] pool = new byte[8 << 20];
  private final Random random = new Random(2009);
  private final ArrayDeque<TraceSegment> ready = new ArrayDeque<>();
  private final TraceWriter writer = new TraceWriter(START_ICOUNT, LIMITS, ready::add);
  private final byte[] packet = new byte[PACKET_BYTES];
  private final long packetBytes;
  private long appendedBytes;
  private long events;
  private long segments;
  private long icount = START_ICOUNT;

  /** A trace of at least {@code packetBytes} bytes of packet payload. */
  BulkTrace(long packetBytes) {
    this.packetBytes = packetBytes;
    random.nextBytes(pool);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !writer.isFinished()) {
      if (appendedBytes >= packetBytes) {
        writer.finish(icount + 1);
      } else {
        int at = random.nextInt(pool.length - PACKET_BYTES);
        System.arraycopy(pool, at, packet, 0, PACKET_BYTES);
        icount += 1 + random.nextInt(10_000);
        writer.packet(icount, 0, packet);
        appendedBytes += PACKET_BYTES;
        events++;
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public TraceSegment next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    segments++;
    return ready.poll();
  }

  /** Segments handed out so far. */
  long segments() {
    return segments;
  }

  long events() {
    return events;
  }
}
