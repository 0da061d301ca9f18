package org.crtrmotion.ops.client;

/** The exit codes of the client commands ({@code crtr vm ...}). */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;

  /** The node refused the request (its error is printed) or answered nonsense. */
  static final int REFUSED = 1;

  /** The command line is wrong (picocli's usual code). */
  static final int USAGE = 2;

  /** The node cannot be reached. */
  static final int UNREACHABLE = 3;

  /** No such VM. */
  static final int NOT_FOUND = 4;

  /** The node needs a token, or another one ({@code --token} or {@code CRTR_TOKEN}). */
  static final int UNAUTHORIZED = 5;
}
