package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.AFTER_FINAL;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.CORRUPT;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.DUPLICATE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MALFORMED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MISSING;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.OUT_OF_ORDER;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.RANGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TOO_LARGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TRUNCATED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.UNKNOWN_KIND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crtrmotion.vm.trace.proto.TraceProto;
import org.junit.jupiter.api.Test;

class TraceReaderTest {
  /**
   * Fourteen segments of two events each over instructions 1000 to 1140, then an empty final one.
   */
  private final List<TraceSegment> segments = new ArrayList<>();

  TraceReaderTest() {
    TraceWriter w = new TraceWriter(1000, new TraceWriter.Limits(4096, 2), segments::add);
    for (int i = 1; i <= 28; i++) {
      w.timeRead(1000 + 5 * i, 77 * i);
    }
    w.finish();
  }

  private TraceFormatException refused(TraceReader reader, TraceSegment s) {
    return assertThrows(TraceFormatException.class, () -> reader.accept(s));
  }

  private TraceReader readThrough(int lastSequence) throws TraceFormatException {
    TraceReader reader = new TraceReader(1000);
    for (int i = 0; i <= lastSequence; i++) {
      reader.accept(segments.get(i));
    }
    return reader;
  }

  private static TraceProto.TraceSegment.Builder proto(TraceSegment s) {
    return s.toProto().toBuilder();
  }

  /** A segment with a valid checksum over whatever fields it is given: a writer bug. */
  private static TraceSegment resealed(TraceProto.TraceSegment.Builder p) {
    return TraceSegment.seal(
        p.getSequence(),
        p.getFirstIcount(),
        p.getLastIcount(),
        p.getEventCount(),
        p.getEvents().toByteArray(),
        p.getFlags());
  }

  @Test
  void aGapNamesTheMissingSegment() throws Exception {
    TraceReader reader = readThrough(5);
    TraceFormatException e = refused(reader, segments.get(7));
    assertEquals(MISSING, e.problem());
    assertEquals(6, e.segment());
    assertEquals("segment 7 follows segment 5: segment 6 is missing", e.getMessage());

    e = refused(reader, segments.get(9));
    assertEquals("segment 9 follows segment 5: segments 6 to 8 are missing", e.getMessage());

    e = refused(new TraceReader(1000), segments.get(1));
    assertEquals("segment 1 is the first segment read: segment 0 is missing", e.getMessage());
  }

  @Test
  void aRefusedSegmentLeavesTheReaderAsItWas() throws Exception {
    TraceReader reader = readThrough(5);
    refused(reader, segments.get(7));
    assertEquals(6, reader.nextSequence());
    assertEquals(segments.get(5).lastIcount(), reader.coveredIcount());
    assertEquals(2, reader.accept(segments.get(6)).size());
    assertEquals(2, reader.accept(segments.get(7)).size());
  }

  @Test
  void aDuplicateIsNamed() throws Exception {
    TraceReader reader = readThrough(4);
    TraceFormatException e = refused(reader, segments.get(4));
    assertEquals(DUPLICATE, e.problem());
    assertEquals("segment 4 arrives twice: it was just read", e.getMessage());

    TraceSegment other = resealed(proto(segments.get(4)).setLastIcount(1041));
    e = refused(reader, other);
    assertEquals("segment 4 arrives twice, with different contents", e.getMessage());
  }

  @Test
  void anEarlierSegmentArrivingLateIsOutOfOrder() throws Exception {
    TraceReader reader = readThrough(6);
    TraceFormatException e = refused(reader, segments.get(3));
    assertEquals(OUT_OF_ORDER, e.problem());
    assertEquals("segment 3 arrives after segment 6: segments are out of order", e.getMessage());
  }

  @Test
  void aFlippedBitIsReportedAsCorruptionWithBothChecksums() throws Exception {
    TraceReader reader = readThrough(11);
    byte[] events = segments.get(12).toProto().getEvents().toByteArray();
    events[1] ^= 0x10;
    TraceSegment flipped =
        TraceSegment.fromProto(
            proto(segments.get(12)).setEvents(ByteString.copyFrom(events)).build());
    TraceFormatException e = refused(reader, flipped);
    assertEquals(CORRUPT, e.problem());
    assertEquals(12, e.segment());
    assertTrue(
        e.getMessage()
            .matches("segment 12 is corrupt: checksum [0-9a-f]{8} computed, [0-9a-f]{8} stored"),
        e.getMessage());
  }

  @Test
  void aCorruptSequenceNumberIsNamedByPosition() throws Exception {
    TraceReader reader = readThrough(11);
    TraceSegment relabelled =
        TraceSegment.fromProto(proto(segments.get(12)).setSequence(4_000_000_012L).build());
    TraceFormatException e = refused(reader, relabelled);
    assertEquals(CORRUPT, e.problem());
    assertEquals(12, e.segment());
    assertTrue(
        e.getMessage().startsWith("the segment after segment 11 (labelled 4000000012) is corrupt"),
        e.getMessage());
  }

  @Test
  void aSegmentCutShortIsTruncated() throws Exception {
    TraceReader reader = readThrough(2);
    byte[] events = segments.get(3).toProto().getEvents().toByteArray();
    TraceSegment cut =
        TraceSegment.fromProto(
            proto(segments.get(3))
                .setEvents(ByteString.copyFrom(Arrays.copyOf(events, events.length - 2)))
                .build());
    TraceFormatException e = refused(reader, cut);
    assertEquals(TRUNCATED, e.problem());
    assertTrue(
        e.getMessage().startsWith("segment 3 is truncated: its 2 events need more than its "),
        e.getMessage());
  }

  @Test
  void rangesThatGoBackwardsOrLeaveAHoleAreRefused() throws Exception {
    TraceReader reader = readThrough(7);
    long covered = reader.coveredIcount();
    TraceFormatException e =
        refused(reader, resealed(proto(segments.get(8)).setFirstIcount(covered - 30)));
    assertEquals(RANGE, e.problem());
    assertEquals(
        "segment 8 starts at instruction 1050 but segment 7 ended at instruction 1080:"
            + " instruction ranges go backwards",
        e.getMessage());

    e =
        refused(
            reader,
            resealed(
                proto(segments.get(8)).setFirstIcount(covered + 1).setLastIcount(covered + 100)));
    assertEquals(
        "segment 8 starts at instruction 1081 but segment 7 ended at instruction 1080:"
            + " instructions 1080 to 1080 are not covered",
        e.getMessage());

    e = refused(reader, resealed(proto(segments.get(8)).setLastIcount(covered - 1)));
    assertEquals(
        "segment 8 covers instructions 1080 to 1079: its range goes backwards", e.getMessage());

    e = refused(reader, resealed(proto(segments.get(8)).setLastIcount(covered + 6)));
    assertEquals(
        "segment 8: event 2 is at instruction 1090, outside the segment's range 1080 to 1086",
        e.getMessage());

    e = refused(new TraceReader(999), segments.get(0));
    assertEquals(
        "segment 0 starts at instruction 1000 but the trace starts at instruction 999:"
            + " instructions 999 to 999 are not covered",
        e.getMessage());
  }

  @Test
  void nothingIsReadAfterTheFinalSegment() throws Exception {
    TraceReader reader = readThrough(segments.size() - 1);
    assertTrue(reader.isFinished());
    TraceSegment last = segments.get(segments.size() - 1);
    assertEquals(14, last.sequence());
    TraceSegment more = resealed(proto(last).setSequence(15).setFlags(0));
    TraceFormatException e = refused(reader, more);
    assertEquals(AFTER_FINAL, e.problem());
    assertEquals("segment 15 follows segment 14, the final segment of the trace", e.getMessage());
  }

  @Test
  void anEventKindFromANewerWriterIsRefusedByNumber() throws Exception {
    byte[] events = {9, 0, 0};
    TraceSegment s = TraceSegment.seal(0, 1000, 1000, 1, events, 0);
    TraceFormatException e = refused(new TraceReader(1000), s);
    assertEquals(UNKNOWN_KIND, e.problem());
    assertEquals(
        "segment 0 holds event kind 9 (event 1), which this reader does not know: it reads kinds"
            + " 1 to 5 of format version 1; the trace comes from a newer writer",
        e.getMessage());
  }

  @Test
  void flagsFromAnotherVersionAreRefused() throws Exception {
    TraceSegment s = resealed(proto(segments.get(0)).setFlags(0x6));
    TraceFormatException e = refused(new TraceReader(1000), s);
    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "segment 0 sets flags 0x6, which trace format version 1 does not define", e.getMessage());
  }

  @Test
  void aWrongEventCountIsMalformed() throws Exception {
    TraceSegment s = resealed(proto(segments.get(0)).setEventCount(1));
    TraceFormatException e = refused(new TraceReader(1000), s);
    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "segment 0 is malformed: 4 bytes follow its 1 events: the count is wrong", e.getMessage());
  }

  @Test
  void aLongerThan64BitVarintIsMalformed() throws Exception {
    byte[] events = new byte[13];
    Arrays.fill(events, (byte) 0x80);
    events[0] = 1;
    TraceSegment s = TraceSegment.seal(0, 0, 10, 1, events, 0);
    TraceFormatException e = refused(new TraceReader(0), s);
    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "segment 0 is malformed: event 1 has a varint longer than 64 bits", e.getMessage());
  }

  @Test
  void aSegmentAboveTheCapsIsRefusedBeforeItsEventsAreCopied() {
    TraceProto.TraceSegment huge =
        proto(segments.get(0)).setEventCount(TraceFormat.MAX_SEGMENT_EVENTS + 1).build();
    TraceFormatException e =
        assertThrows(TraceFormatException.class, () -> TraceSegment.fromProto(huge));
    assertEquals(TOO_LARGE, e.problem());
    TraceProto.TraceSegment negative = proto(segments.get(0)).setEventCount(-1).build();
    assertEquals(
        TOO_LARGE,
        assertThrows(TraceFormatException.class, () -> TraceSegment.fromProto(negative)).problem());
  }

  @Test
  void fieldsFromAnotherVersionAreRefused() {
    TraceProto.TraceSegment extra =
        proto(segments.get(0))
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(
                        9,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build();
    TraceFormatException e =
        assertThrows(TraceFormatException.class, () -> TraceSegment.parseFrom(extra.toByteArray()));
    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "segment 0 carries fields [9], which trace format version 1 does not define",
        e.getMessage());
  }

  @Test
  void coverageFollowsTheSegmentsRead() throws Exception {
    TraceReader reader = new TraceReader(1000);
    assertEquals(1000, reader.coveredIcount());
    reader.accept(segments.get(0));
    assertEquals(segments.get(0).lastIcount(), reader.coveredIcount());
  }

  @Test
  void admittingChecksTheSameSegmentsAsAcceptingAndCountsTheirEvents() throws Exception {
    TraceReader accepting = new TraceReader(1000);
    TraceReader admitting = new TraceReader(1000);
    for (TraceSegment s : segments) {
      assertEquals(accepting.accept(s).size(), admitting.admit(s));
      assertEquals(accepting.coveredIcount(), admitting.coveredIcount());
      assertEquals(accepting.nextSequence(), admitting.nextSequence());
    }
    assertTrue(admitting.isFinished());
  }

  @Test
  void admittingRefusesAMalformedEventAsAcceptingDoesAndLeavesTheReaderAsItWas() throws Exception {
    TraceSegment wrongCount = resealed(proto(segments.get(1)).setEventCount(1));
    TraceReader reader = readThrough(0);

    TraceFormatException e =
        assertThrows(TraceFormatException.class, () -> reader.admit(wrongCount));

    assertEquals(MALFORMED, e.problem());
    assertEquals(
        "segment 1 is malformed: 4 bytes follow its 1 events: the count is wrong", e.getMessage());
    assertEquals(1, reader.nextSequence());
    assertEquals(2, reader.admit(segments.get(1)));
  }

  @Test
  void admittingRefusesACorruptSegmentAndAGap() throws Exception {
    TraceProto.TraceSegment p = segments.get(1).toProto();
    byte[] events = p.getEvents().toByteArray();
    events[1] ^= 1;
    TraceSegment flipped =
        TraceSegment.fromProto(p.toBuilder().setEvents(ByteString.copyFrom(events)).build());
    TraceReader reader = readThrough(0);

    assertEquals(
        CORRUPT, assertThrows(TraceFormatException.class, () -> reader.admit(flipped)).problem());
    assertEquals(
        MISSING,
        assertThrows(TraceFormatException.class, () -> reader.admit(segments.get(2))).problem());
  }
}
