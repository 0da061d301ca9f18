package org.crtrmotion.simulations.faults;

/** Which node of a migration a node fault hits, resolved when the migration runs. */
public enum Role {
  SOURCE,
  TARGET,
  /** A node that is neither the source nor the target (the first such node after the target). */
  BYSTANDER
}
