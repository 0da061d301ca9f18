package org.crtrmotion.streams;

/**
 * A reliable stream given up for good, at either end, with the reason: the connection could not be
 * resumed within the deadline, the receiver abandoned the stream, or the sender refused to resume
 * it. Like a {@link FrameException} it names the frame where the stream stopped.
 */
public final class ReliableStreamException extends RuntimeException {
  /** Why the stream was given up. */
  public enum Reason {
    /** No connection came back within the resume deadline. */
    NOT_RESUMED,
    /** The receiver said it gives the stream up (its consumer failed or it could not resume). */
    ABANDONED,
    /** The sender cannot serve the frame the receiver asked to resume from, or has failed. */
    REFUSED
  }

  private final Reason reason;
  private final String streamId;
  private final long sequence;

  public ReliableStreamException(
      Reason reason, String streamId, long sequence, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.streamId = streamId;
    this.sequence = sequence;
  }

  public Reason reason() {
    return reason;
  }

  public String streamId() {
    return streamId;
  }

  /**
   * The last frame this end had: received by the receiver, or acknowledged to the sender; -1 if
   * none.
   */
  public long sequence() {
    return sequence;
  }
}
