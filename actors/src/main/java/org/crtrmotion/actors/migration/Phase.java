package org.crtrmotion.actors.migration;

/** Where a migration is, for every strategy. */
public enum Phase {
  /** The target is asked, capacity reserved, versions and images checked. */
  PREPARE,
  /** The state moves while the source runs: checkpoint and trace, or rounds of pages. */
  TRANSFER,
  /** The source is paused; the last part moves. */
  FREEZE,
  /** The target reached the freeze instruction count; the digests are compared. */
  CAUGHT_UP,
  /** The commit point is passed: the target owns the VM. Final. */
  COMMITTED,
  /** The source runs on, the target's copy is discarded. Final. */
  ABORTED;

  public boolean isFinal() {
    return this == COMMITTED || this == ABORTED;
  }
}
