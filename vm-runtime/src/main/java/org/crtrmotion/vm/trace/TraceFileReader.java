package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.AFTER_FINAL;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.CORRUPT;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.NOT_A_TRACE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TOO_LARGE;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.TRUNCATED;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.crtrmotion.vm.trace.proto.TraceProto;

/**
 * Reads a trace file one segment at a time: the header on opening, then the segments as framed,
 * with every length checked against {@link TraceFormat}'s caps before anything is allocated for it.
 * Segments come out parsed but unchecked; feed them to a {@link TraceReader} (as {@link
 * TraceFiles#read} does). Obtain one from {@link TraceFiles#open}.
 */
public final class TraceFileReader implements Closeable {
  private static final long NONE = TraceFormatException.NO_SEGMENT;

  /** A header's field 1 (tag 0x0a), its length, then the magic. */
  private static final byte[] MAGIC_PREFIX = magicPrefix();

  private final InputStream in;
  private final TraceHeader header;
  private long segmentsRead;
  private boolean sawFinal;

  TraceFileReader(InputStream in) throws IOException, TraceFormatException {
    this.in = in.markSupported() ? in : new BufferedInputStream(in);
    this.header = readHeader();
  }

  private TraceHeader readHeader() throws IOException, TraceFormatException {
    requireMagic();
    byte[] record = readRecord(TraceFormat.MAX_HEADER_BYTES, "the header", NONE);
    try {
      return TraceHeader.fromProto(TraceProto.TraceHeader.parseFrom(record));
    } catch (InvalidProtocolBufferException e) {
      throw new TraceFormatException(
          NOT_A_TRACE, NONE, "not a crtr trace: its header does not parse", e);
    }
  }

  /**
   * Every version's header serializes its magic first, so a trace file's first bytes after the
   * length are always the same. Checking them before anything else tells a file that is not a trace
   * from a trace cut short.
   */
  private void requireMagic() throws IOException, TraceFormatException {
    in.mark(MAGIC_PREFIX.length + 3);
    int b = in.read();
    if (b < 0) {
      throw new TraceFormatException(NOT_A_TRACE, NONE, "the file is empty: not a crtr trace");
    }
    // A header's length takes at most 3 varint bytes (64 KiB); a cut inside them is truncation.
    for (int lengthBytes = 1; b >= 0 && (b & 0x80) != 0 && lengthBytes < 3; lengthBytes++) {
      b = in.read();
    }
    byte[] prefix = b < 0 ? new byte[0] : in.readNBytes(MAGIC_PREFIX.length);
    in.reset();
    boolean lengthTooLong = b >= 0 && (b & 0x80) != 0;
    if (lengthTooLong || !Arrays.equals(prefix, Arrays.copyOf(MAGIC_PREFIX, prefix.length))) {
      throw new TraceFormatException(
          NOT_A_TRACE, NONE, "not a crtr trace: it does not start with " + TraceFormat.MAGIC);
    }
  }

  public TraceHeader header() {
    return header;
  }

  /**
   * The next segment, or null when the file ends right after the final segment. A file that ends
   * anywhere else is truncated; one that goes on after the final segment is refused.
   */
  public TraceSegment next() throws IOException, TraceFormatException {
    if (sawFinal) {
      if (in.read() < 0) {
        return null;
      }
      throw new TraceFormatException(
          AFTER_FINAL,
          segmentsRead,
          "the file goes on after segment " + (segmentsRead - 1) + ", the final segment");
    }
    TraceSegment s = nextRecord();
    if (s == null) {
      throw new TraceFormatException(
          TRUNCATED,
          segmentsRead,
          segmentsRead == 0
              ? "the file ends after the header, before segment 0: the trace is truncated"
              : "the file ends after segment "
                  + (segmentsRead - 1)
                  + ", which is not the final segment: the trace is truncated");
    }
    sawFinal = s.isFinal();
    return s;
  }

  /** The next framed segment whatever came before it, or null at the end of the file. */
  TraceSegment nextRecord() throws IOException, TraceFormatException {
    String name = "segment " + segmentsRead;
    byte[] record = readRecord(TraceFormat.MAX_SEGMENT_MESSAGE_BYTES, name, segmentsRead);
    if (record == null) {
      return null;
    }
    TraceSegment s;
    try {
      s = TraceSegment.fromProto(TraceProto.TraceSegment.parseFrom(record));
    } catch (InvalidProtocolBufferException e) {
      throw new TraceFormatException(
          CORRUPT,
          segmentsRead,
          name + " is corrupt: it does not parse (" + e.getMessage() + ")",
          e);
    }
    segmentsRead++;
    return s;
  }

  /** One length-delimited record, or null at a clean end of file. */
  private byte[] readRecord(int maxBytes, String name, long segment)
      throws IOException, TraceFormatException {
    int b = in.read();
    if (b < 0) {
      return null;
    }
    long length = b & 0x7f;
    for (int shift = 7; (b & 0x80) != 0; shift += 7) {
      b = in.read();
      if (b < 0) {
        throw new TraceFormatException(
            TRUNCATED, segment, "the file ends inside the length of " + name + ": it is truncated");
      }
      if (shift > 28) {
        throw new TraceFormatException(
            CORRUPT, segment, "the length of " + name + " is not a 32-bit varint: it is corrupt");
      }
      length |= (long) (b & 0x7f) << shift;
    }
    if (length > maxBytes) {
      throw new TraceFormatException(
          TOO_LARGE,
          segment,
          name
              + " claims "
              + length
              + " bytes, above the "
              + maxBytes
              + " a reader accepts: the file is corrupt");
    }
    // Read, not allocated up front: a hostile length below the cap costs only the bytes that
    // really follow it.
    byte[] record = in.readNBytes((int) length);
    int got = record.length;
    if (got < length) {
      throw new TraceFormatException(
          TRUNCATED,
          segment,
          "the file ends "
              + got
              + " bytes into the "
              + length
              + " of "
              + name
              + ": the trace is truncated");
    }
    return record;
  }

  private static byte[] magicPrefix() {
    byte[] magic = TraceFormat.MAGIC.getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[magic.length + 2];
    prefix[0] = 0x0a;
    prefix[1] = (byte) magic.length;
    System.arraycopy(magic, 0, prefix, 2, magic.length);
    return prefix;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
