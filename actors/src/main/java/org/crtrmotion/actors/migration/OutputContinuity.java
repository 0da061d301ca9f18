package org.crtrmotion.actors.migration;

/**
 * Whether the guest's console, seen from outside, is one sequence across the switch: the target's
 * first live line follows the source's last line.
 *
 * @param lastSourceLine number of the last line the source emitted (0 = none)
 * @param firstTargetLine number of the first line the target emitted live (0 = none yet)
 */
public record OutputContinuity(long lastSourceLine, long firstTargetLine) {

  public static final OutputContinuity UNKNOWN = new OutputContinuity(0, 0);

  /** True when the target has spoken and carries on exactly after the source. */
  public boolean continuous() {
    return firstTargetLine == 0 || firstTargetLine == lastSourceLine + 1;
  }
}
