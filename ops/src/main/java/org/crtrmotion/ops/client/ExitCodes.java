package org.crtrmotion.ops.client;

/** The exit codes of the client commands ({@code crtr vm ...}, {@code crtr migrate ...}). */
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

  /** {@code crtr migrate}: the migration ended ABORTED (the reason is printed; the VM runs on). */
  static final int MIGRATION_ABORTED = 1;

  /** {@code crtr migrate}: the node refused the request (a bad parameter, a cancel too late). */
  static final int MIGRATION_REFUSED = 6;

  /**
   * {@code crtr migrate}: the progress stream ended before the report; the migration may still run
   * ({@code crtr migrate status ID}).
   */
  static final int STREAM_LOST = 7;
}
