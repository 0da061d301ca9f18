package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.AFTER_FINAL;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.CORRUPT;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.FOREIGN_VERSION;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MALFORMED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MISSING;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.NOT_A_TRACE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.OUT_OF_ORDER;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.proto.TraceProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFilesTest {
  private static final long START = 5000;
  private static final TraceHeader HEADER = TraceHeader.virt(256L << 20, TimeMode.HOST, START);

  @TempDir Path dir;

  private final List<TraceSegment> segments =
      RandomEvents.write(
          RandomEvents.stream(11, 60, START), START, new TraceWriter.Limits(4096, 8));

  private Path file(String name, TraceProto.TraceHeader header, List<TraceSegment> segments)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    header.writeDelimitedTo(out);
    for (TraceSegment s : segments) {
      s.toProto().writeDelimitedTo(out);
    }
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  private Path file(String name, List<TraceSegment> segments) throws IOException {
    return file(name, HEADER.toProto(), segments);
  }

  private static TraceFormatException refused(Path file) {
    return assertThrows(TraceFormatException.class, () -> TraceFiles.read(file));
  }

  @Test
  void theFileIsTheDelimitedHeaderThenTheDelimitedSegments() throws Exception {
    Path written = dir.resolve("a.trace");
    TraceFiles.write(written, HEADER, segments);
    assertEquals(
        Arrays.toString(Files.readAllBytes(file("b.trace", segments))),
        Arrays.toString(Files.readAllBytes(written)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void theFileReaderHandsOutSegmentsOneByOne() throws Exception {
    Path file = file("a.trace", segments);
    try (TraceFileReader in = TraceFiles.open(file)) {
      assertEquals(HEADER, in.header());
      for (TraceSegment expected : segments) {
        assertEquals(expected, in.next());
      }
      assertNull(in.next());
    }
  }

  @Test
  void anotherFormatVersionIsRefusedByNumber() throws Exception {
    TraceProto.TraceHeader v3 = HEADER.toProto().toBuilder().setFormatVersion(3).build();
    TraceFormatException e = refused(file("v3.trace", v3, segments));
    assertEquals(FOREIGN_VERSION, e.problem());
    assertEquals("trace format version 3; this reader reads version 1", e.getMessage());
  }

  @Test
  void somethingElseIsNotATrace() throws Exception {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertEquals("the file is empty: not a crtr trace", refused(empty).getMessage());

    Path elf = Files.write(dir.resolve("elf"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    assertEquals("not a crtr trace: it does not start with CRTRTRC", refused(elf).getMessage());

    Path text = Files.writeString(dir.resolve("text"), "\u00ff\u00ff\u00ff\u00ff\u000f hello");
    assertEquals(NOT_A_TRACE, refused(text).problem());

    TraceProto.TraceHeader wrongMagic = HEADER.toProto().toBuilder().setMagic("QEVM").build();
    assertEquals(
        "not a crtr trace: it does not start with CRTRTRC",
        refused(file("magic", wrongMagic, segments)).getMessage());
  }

  @Test
  void aDamagedHeaderIsCorrupt() throws Exception {
    TraceProto.TraceHeader bigger = HEADER.toProto().toBuilder().setRamBytes(512L << 20).build();
    TraceFormatException e = refused(file("ram", bigger, segments));
    assertEquals(CORRUPT, e.problem());
    assertEquals(TraceFormatException.NO_SEGMENT, e.segment());
    assertTrue(e.getMessage().startsWith("the trace header is corrupt: checksum"), e.getMessage());
  }

  @Test
  void anUnknownTimeModeIsMalformed() throws Exception {
    TraceProto.TraceHeader.Builder p = HEADER.toProto().toBuilder().setTimeMode("sundial");
    p.setCrc32C(
        Checksums.header(
            p.getMagic(),
            p.getFormatVersion(),
            p.getMachine(),
            p.getRamBytes(),
            p.getTimeMode(),
            p.getStartIcount()));
    TraceFormatException e = refused(file("mode", p.build(), segments));
    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "the trace header names time mode \"sundial\", which is not known", e.getMessage());
  }

  @Test
  void aHeaderAnnouncingMoreRamThanAnyMachineHasIsMalformed() throws Exception {
    TraceProto.TraceHeader.Builder p = HEADER.toProto().toBuilder().setRamBytes(1L << 40);
    p.setCrc32C(
        Checksums.header(
            p.getMagic(),
            p.getFormatVersion(),
            p.getMachine(),
            p.getRamBytes(),
            p.getTimeMode(),
            p.getStartIcount()));
    TraceFormatException e = refused(file("huge", p.build(), segments));
    assertEquals(MALFORMED, e.problem());
    assertTrue(e.getMessage().contains("ram_bytes 1099511627776"), e.getMessage());
  }

  @Test
  void aFileCutInsideItsHeaderIsATruncatedTrace() throws Exception {
    byte[] whole = Files.readAllBytes(file("a.trace", segments));
    for (int length : new int[] {1, 5, 20}) {
      Path cut = Files.write(dir.resolve("cut" + length), Arrays.copyOf(whole, length));
      TraceFormatException e = refused(cut);
      assertEquals(TRUNCATED, e.problem(), e.getMessage());
    }
  }

  @Test
  void aFileCutInsideATwoByteHeaderLengthIsATruncatedTrace() throws Exception {
    TraceHeader longName =
        new TraceHeader("riscv64-virt " + "x".repeat(200), 1 << 20, TimeMode.HOST, START);
    Path whole = dir.resolve("long.trace");
    TraceFiles.write(whole, longName, segments);
    assertEquals(longName, TraceFiles.read(whole).header());
    Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(Files.readAllBytes(whole), 1));
    assertEquals(TRUNCATED, refused(cut).problem());
  }

  @Test
  void aFileEndingMidSegmentIsTruncated() throws Exception {
    byte[] whole = Files.readAllBytes(file("a.trace", segments));
    Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(whole, whole.length - 3));
    TraceFormatException e = refused(cut);
    assertEquals(TRUNCATED, e.problem());
    long last = segments.size() - 1;
    assertEquals(last, e.segment());
    assertTrue(
        e.getMessage()
            .matches(
                "the file ends \\d+ bytes into the \\d+ of segment "
                    + last
                    + ": the trace is truncated"),
        e.getMessage());
  }

  @Test
  void aFileEndingBetweenSegmentsBeforeTheFinalOneIsTruncated() throws Exception {
    TraceFormatException e = refused(file("short", segments.subList(0, 3)));
    assertEquals(TRUNCATED, e.problem());
    assertEquals(
        "the file ends after segment 2, which is not the final segment: the trace is truncated",
        e.getMessage());
    e = refused(file("header-only", List.of()));
    assertEquals(
        "the file ends after the header, before segment 0: the trace is truncated", e.getMessage());
  }

  @Test
  void aSegmentMissingFromTheFileIsNamed() throws Exception {
    List<TraceSegment> gap = new ArrayList<>(segments);
    gap.remove(4);
    TraceFormatException e = refused(file("gap", gap));
    assertEquals(MISSING, e.problem());
    assertEquals("segment 5 follows segment 3: segment 4 is missing", e.getMessage());
  }

  @Test
  void swappedSegmentsAreOutOfOrder() throws Exception {
    List<TraceSegment> swapped = new ArrayList<>(segments);
    swapped.set(4, segments.get(5));
    swapped.set(5, segments.get(4));
    TraceFormatException e = refused(file("swapped", swapped));
    assertEquals(OUT_OF_ORDER, e.problem());
    assertEquals(
        "segment 5 comes before segment 4 in the file: segments are out of order", e.getMessage());
  }

  @Test
  void aRepeatedSegmentIsADuplicate() throws Exception {
    List<TraceSegment> twice = new ArrayList<>(segments);
    twice.add(3, segments.get(2));
    assertEquals(
        "segment 2 arrives twice: it was just read", refused(file("twice", twice)).getMessage());
  }

  @Test
  void bytesAfterTheFinalSegmentAreRefused() throws Exception {
    List<TraceSegment> more = new ArrayList<>(segments);
    more.add(segments.get(0));
    TraceFormatException e = refused(file("more", more));
    assertEquals(AFTER_FINAL, e.problem());
    assertEquals(
        "the file goes on after segment " + (segments.size() - 1) + ", the final segment",
        e.getMessage());
  }

  @Test
  void writingSegmentsAReaderWouldRefuseIsABugAndLeavesNoFile() throws Exception {
    Path target = dir.resolve("bad.trace");
    List<TraceSegment> unfinished = segments.subList(0, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TraceFiles.write(target, HEADER, unfinished));
    assertEquals(
        "segment 1 is not final: finish the TraceWriter before writing the file", e.getMessage());
    List<TraceSegment> gap = new ArrayList<>(segments);
    gap.remove(1);
    assertThrows(IllegalArgumentException.class, () -> TraceFiles.write(target, HEADER, gap));
    TraceHeader elsewhere = TraceHeader.virt(256L << 20, TimeMode.HOST, START + 1);
    assertThrows(
        IllegalArgumentException.class, () -> TraceFiles.write(target, elsewhere, segments));
    assertFalse(Files.exists(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void writingReplacesAnOlderFileWhole() throws Exception {
    Path target = dir.resolve("t.trace");
    Files.writeString(target, "old contents");
    TraceFiles.write(target, HEADER, segments);
    assertEquals(segments, TraceFiles.read(target).segments());
  }
}
