package org.crtrmotion.actors.migration;

/** What a migration does once it sees that it is not converging. */
public enum NonConvergencePolicy {
  /** Throttle the source in auto-converge steps; abort when the steps are spent. */
  THROTTLE,
  /** Go on with the other strategy from the start (a fresh Prepare with the same target). */
  SWITCH_STRATEGY,
  /** Abort at once, with the reason. */
  ABORT
}
