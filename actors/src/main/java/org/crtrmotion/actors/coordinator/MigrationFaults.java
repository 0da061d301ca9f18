package org.crtrmotion.actors.coordinator;

/**
 * Fault sites in the coordinators, all off by default; tests and fault runs switch them on to show
 * that each fault ends in an abort with the source running.
 *
 * @param misreportTargetDigest the target reports a digest off by one at F (invariant 3's check)
 */
public record MigrationFaults(boolean misreportTargetDigest) {
  public static final MigrationFaults NONE = new MigrationFaults(false);
}
