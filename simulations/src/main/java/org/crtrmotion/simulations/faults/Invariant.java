package org.crtrmotion.simulations.faults;

/** The failure classes a run is checked for, each with its own exit code. */
public enum Invariant {
  NO_VM_LOST(10, "no VM lost"),
  ONE_LIVE_COPY(11, "one live copy"),
  EQUAL_DIGESTS(12, "equal digests at freeze"),
  OUTPUT_CONTINUITY(13, "output without gap or duplicate"),
  MIGRATION_ENDED(14, "every migration ended in time"),
  RESOURCES_RELEASED(15, "resources released");

  /** The exit code of a run that could not be carried out (a node that never started). */
  public static final int RUN_ERROR_EXIT_CODE = 3;

  private final int exitCode;
  private final String title;

  Invariant(int exitCode, String title) {
    this.exitCode = exitCode;
    this.title = title;
  }

  public int exitCode() {
    return exitCode;
  }

  public String title() {
    return title;
  }
}
