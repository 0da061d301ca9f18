package org.crtrmotion.streams;

/**
 * A spill file that cannot give back what was written to it: truncated, overwritten, or not a spill
 * file at all. The frames in it are lost to this sender, so the stream fails with the file, the
 * offset and the frame named, rather than sending something else in their place.
 */
public final class SpillException extends RuntimeException {
  public SpillException(String message) {
    super(message);
  }

  public SpillException(String message, Throwable cause) {
    super(message, cause);
  }
}
