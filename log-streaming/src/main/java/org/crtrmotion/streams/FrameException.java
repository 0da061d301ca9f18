package org.crtrmotion.streams;

/**
 * A frame a receiver refuses. It fails the stream instead of reaching the consumer, because a
 * replayer fed a wrong or missing segment diverges silently; the sequence number says where a
 * resume must start.
 */
public final class FrameException extends RuntimeException {
  /** What is wrong with the frame. */
  public enum Problem {
    /** Frames between the last good one and this one never arrived. */
    GAP,
    /** A frame already delivered arrives again. */
    DUPLICATE,
    /** The bytes changed on the way: checksum, compression or parse failed. */
    CORRUPT,
    /** The sender speaks another protocol version. */
    FOREIGN_VERSION,
    /** A frame of another stream, or one that breaks the format's rules. */
    MALFORMED
  }

  private final Problem problem;
  private final long sequence;

  public FrameException(Problem problem, long sequence, String message) {
    this(problem, sequence, message, null);
  }

  public FrameException(Problem problem, long sequence, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
    this.sequence = sequence;
  }

  public Problem problem() {
    return problem;
  }

  /** The sequence number of the refused frame, or of the first missing one for a gap. */
  public long sequence() {
    return sequence;
  }
}
