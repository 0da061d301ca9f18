package org.crtrmotion.ops.client;

/** A client command failed; the message is the one line printed, the code the exit code. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  ApiException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
