package org.crtrmotion.vm.trace;

/**
 * A trace, a segment or a trace file that this reader refuses. The message names the segment and
 * the problem; {@link #problem()} lets a caller decide between asking for the segment again ({@link
 * Problem#CORRUPT}, {@link Problem#MISSING}) and giving up ({@link Problem#FOREIGN_VERSION}).
 */
public final class TraceFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** {@link #segment()} when the problem is in the header or the file as a whole. */
  public static final long NO_SEGMENT = -1;

  /** The classes of problem, one per thing a reader checks. */
  public enum Problem {
    /** Not a crtr trace at all: no magic, or a header that does not parse. */
    NOT_A_TRACE,
    /** A trace of a format version this reader does not read. */
    FOREIGN_VERSION,
    /** The checksum does not match the contents. */
    CORRUPT,
    /** A segment or the file ends early. */
    TRUNCATED,
    /** A sequence number was skipped. */
    MISSING,
    /** The segment just read arrives again. */
    DUPLICATE,
    /** A segment arrives after a later one. */
    OUT_OF_ORDER,
    /** Something follows the trace's final segment. */
    AFTER_FINAL,
    /** Instruction counts go backwards or leave a stretch uncovered. */
    RANGE,
    /** An event kind from a newer writer. */
    UNKNOWN_KIND,
    /** Contents that pass the checksum but break the format's rules: a writer bug. */
    MALFORMED,
    /** A length or count above what a reader accepts. */
    TOO_LARGE
  }

  private final Problem problem;
  private final long segment;

  TraceFormatException(Problem problem, long segment, String message) {
    this(problem, segment, message, null);
  }

  TraceFormatException(Problem problem, long segment, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
    this.segment = segment;
  }

  public Problem problem() {
    return problem;
  }

  /** The sequence number of the segment the problem is in, or {@link #NO_SEGMENT}. */
  public long segment() {
    return segment;
  }
}
