package org.crtrmotion.vm.checkpoint;

/** A checkpoint stream or state that this reader cannot accept; the message names the problem. */
public final class CheckpointFormatException extends Exception {
  public CheckpointFormatException(String message) {
    super(message);
  }

  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
