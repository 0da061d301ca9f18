package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MISSING;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.OUT_OF_ORDER;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace as one file: a length-delimited {@code TraceHeader}, then every segment length-delimited,
 * in sequence order, the last one final ({@code writeDelimitedTo} framing).
 */
public final class TraceFiles {
  private static final int BUFFER_BYTES = 1 << 16;

  private TraceFiles() {}

  /**
   * Writes a finished trace. The file appears whole or not at all (written beside it, synced, then
   * moved into place). Segments that a reader would refuse for their order (a gap, a repeat, an
   * instruction range that does not follow on, no final segment) are a bug in the caller: {@link
   * IllegalArgumentException}, and no file.
   */
  public static void write(Path file, TraceHeader header, Iterable<TraceSegment> segments)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
          OutputStream out = new BufferedOutputStream(fos, BUFFER_BYTES)) {
        header.toProto().writeDelimitedTo(out);
        WriteOrder order = new WriteOrder(header.startIcount());
        for (TraceSegment s : segments) {
          order.check(s);
          s.toProto().writeDelimitedTo(out);
        }
        order.checkFinished();
        out.flush();
        fos.getFD().sync();
      }
      moveIntoPlace(tmp, file);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void moveIntoPlace(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Opens a trace file to read segment by segment; the header is read and checked now. */
  public static TraceFileReader open(Path file) throws IOException, TraceFormatException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
    try {
      return new TraceFileReader(in);
    } catch (IOException | TraceFormatException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads a whole trace and checks every segment, as a {@link TraceReader} does. */
  public static Trace read(Path file) throws IOException, TraceFormatException {
    return read(Files.newInputStream(file));
  }

  /** Reads a whole trace from a stream, which it closes. */
  static Trace read(InputStream stream) throws IOException, TraceFormatException {
    try (InputStream owned = stream;
        TraceFileReader in = new TraceFileReader(new BufferedInputStream(owned, BUFFER_BYTES))) {
      TraceReader reader = new TraceReader(in.header().startIcount());
      List<TraceSegment> segments = new ArrayList<>();
      List<InputEvent> events = new ArrayList<>();
      for (TraceSegment s = in.next(); s != null; s = in.next()) {
        try {
          events.addAll(reader.accept(s));
        } catch (TraceFormatException e) {
          throw e.problem() == MISSING ? reorderedOr(e, in, s, reader.nextSequence()) : e;
        }
        segments.add(s);
      }
      return new Trace(in.header(), segments, events);
    }
  }

  /**
   * A stream cannot tell a lost segment from a late one; a file can look ahead. Reports the gap as
   * reordering when the missing segment comes later in the file.
   */
  private static TraceFormatException reorderedOr(
      TraceFormatException gap, TraceFileReader in, TraceSegment early, long missing)
      throws IOException {
    try {
      for (TraceSegment s = in.nextRecord(); s != null; s = in.nextRecord()) {
        if (s.sequence() == missing) {
          return new TraceFormatException(
              OUT_OF_ORDER,
              missing,
              "segment "
                  + early.sequence()
                  + " comes before segment "
                  + missing
                  + " in the file: segments are out of order");
        }
      }
    } catch (TraceFormatException e) {
      // The rest of the file is damaged too; the gap is what we know.
    }
    return gap;
  }

  /** The order a reader insists on, checked while writing so no unreadable file is made. */
  private static final class WriteOrder {
    private long nextSequence;
    private long coveredIcount;
    private boolean finished;

    WriteOrder(long startIcount) {
      coveredIcount = startIcount;
    }

    void check(TraceSegment s) {
      if (finished) {
        throw new IllegalArgumentException(
            s + " follows the final segment " + (nextSequence - 1) + ": nothing may follow it");
      }
      if (s.sequence() != nextSequence || s.firstIcount() != coveredIcount) {
        throw new IllegalArgumentException(
            s
                + " does not follow on: expected segment "
                + nextSequence
                + " starting at instruction "
                + coveredIcount);
      }
      nextSequence++;
      coveredIcount = s.lastIcount();
      finished = s.isFinal();
    }

    void checkFinished() {
      if (!finished) {
        throw new IllegalArgumentException(
            nextSequence == 0
                ? "a trace file needs at least a final segment: finish the TraceWriter"
                : "segment "
                    + (nextSequence - 1)
                    + " is not final: finish the TraceWriter before writing the file");
      }
    }
  }
}
