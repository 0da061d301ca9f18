package org.crtrmotion.vm.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-byte change and every truncation of a small trace file is refused with a {@link
 * TraceFormatException}; nothing else escapes {@link TraceFiles#read}. (Read from memory: the file
 * system adds nothing to what is checked, only time.)
 */
class TraceFileFuzzTest {
  private static final long SEED = 0x7ACE;
  private static final long START = 777;

  @TempDir Path dir;

  /** A few hundred bytes: every kind, several segments, a zero sequence and a final flag. */
  private byte[] smallTrace() throws Exception {
    List<InputEvent> events = RandomEvents.stream(SEED, 40, START);
    List<TraceSegment> segments = RandomEvents.write(events, START, new TraceWriter.Limits(256, 7));
    Path file = dir.resolve("small.trace");
    TraceFiles.write(file, TraceHeader.virt(64L << 20, TimeMode.HOST, START), segments);
    TraceFiles.read(file); // the untouched file is fine
    return Files.readAllBytes(file);
  }

  @Test
  void everyByteFlippedAnywhereIsRefused() throws Exception {
    byte[] trace = smallTrace();
    SplittableRandom random = new SplittableRandom(SEED);
    Map<TraceFormatException.Problem, Integer> seen =
        new EnumMap<>(TraceFormatException.Problem.class);
    int cases = 0;
    for (int offset = 0; offset < trace.length; offset++) {
      for (int mask : new int[] {0x01, 0x80, 0xff, 1 + random.nextInt(255)}) {
        byte[] damaged = trace.clone();
        damaged[offset] ^= (byte) mask;
        seen.merge(
            refusal(damaged, "byte " + offset + " ^ 0x" + Integer.toHexString(mask)),
            1,
            Integer::sum);
        cases++;
      }
    }
    System.out.printf("%d flips of a %d-byte trace refused as %s%n", cases, trace.length, seen);
  }

  @Test
  void everyTruncationIsRefused() throws Exception {
    byte[] trace = smallTrace();
    Map<TraceFormatException.Problem, Integer> seen =
        new EnumMap<>(TraceFormatException.Problem.class);
    for (int length = 0; length < trace.length; length++) {
      seen.merge(refusal(Arrays.copyOf(trace, length), "cut at " + length), 1, Integer::sum);
    }
    System.out.printf("%d truncations refused as %s%n", trace.length, seen);
  }

  @Test
  void randomGarbageAppendedOrSplicedInIsRefused() throws Exception {
    byte[] trace = smallTrace();
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 2000; i++) {
      int at = random.nextInt(trace.length + 1);
      byte[] junk = new byte[1 + random.nextInt(12)];
      random.nextBytes(junk);
      byte[] spliced = new byte[trace.length + junk.length];
      System.arraycopy(trace, 0, spliced, 0, at);
      System.arraycopy(junk, 0, spliced, at, junk.length);
      System.arraycopy(trace, at, spliced, at + junk.length, trace.length - at);
      refusal(spliced, junk.length + " random bytes at " + at);
    }
  }

  private TraceFormatException.Problem refusal(byte[] bytes, String what) throws Exception {
    try {
      Trace read = TraceFiles.read(new ByteArrayInputStream(bytes));
      fail(what + " was accepted: " + read.segments());
    } catch (TraceFormatException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), what);
      return e.problem();
    } catch (Exception | Error e) {
      throw new AssertionError(what + " escaped as " + e, e);
    }
    throw new AssertionError("unreachable");
  }
}
