package org.crtrmotion.actors.migration;

/** How a migration ended. */
public enum Outcome {
  /** The target owns the VM; the source's copy is gone. */
  COMMITTED,
  /** The source still owns and runs the VM; the reason says why the migration stopped. */
  ABORTED
}
