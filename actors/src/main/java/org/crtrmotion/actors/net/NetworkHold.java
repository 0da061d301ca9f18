package org.crtrmotion.actors.net;

/**
 * What a migrating VM's NIC ports held between the freeze and the hand-over to the target.
 *
 * @param heldFrames frames held for the target (or given back to the source on an abort)
 * @param droppedFrames frames that arrived over {@link SwitchPort#HOLD_CAPACITY} and were dropped
 */
public record NetworkHold(long heldFrames, long droppedFrames) {
  public static final NetworkHold NONE = new NetworkHold(0, 0);

  public NetworkHold plus(NetworkHold other) {
    return new NetworkHold(heldFrames + other.heldFrames, droppedFrames + other.droppedFrames);
  }
}
