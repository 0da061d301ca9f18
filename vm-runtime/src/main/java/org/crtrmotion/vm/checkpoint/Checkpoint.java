package org.crtrmotion.vm.checkpoint;

import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.memory.MemorySnapshot;

/**
 * A consistent checkpoint of a machine: its CPU, device and machine state, copied, and its memory,
 * shared copy-on-write with the running machine until {@link #close()}.
 *
 * @param state the CPU, devices and machine facts at the checkpoint instant
 * @param memory the pages at that instant (all of them, or those written since {@code
 *     sinceGeneration})
 * @param sinceGeneration 0 for a full checkpoint; else the memory generation it is relative to
 */
public record Checkpoint(MachineState state, MemorySnapshot memory, int sinceGeneration)
    implements AutoCloseable {
  /**
   * The version of the stream format, not of the release. 2: an incremental checkpoint's disk
   * overlays carry only the blocks written since its base ({@code VirtioBlkState.overlay_since}); a
   * reader of version 1 would take such a delta for the whole overlay, so it must refuse them.
   */
  public static final int FORMAT_VERSION = 2;

  /** The oldest stream format this reader still reads (version 1: overlays always whole). */
  public static final int OLDEST_READABLE_VERSION = 1;

  public boolean isFull() {
    return sinceGeneration == 0;
  }

  /** Instructions the machine had retired (across guest resets) at the checkpoint instant. */
  public long instructions() {
    return state.getMachine().getInstructionsBeforeReset() + state.getHart().getInstret();
  }

  /** The memory generation that began at the checkpoint, for the next incremental checkpoint. */
  public int generation() {
    return memory.generation();
  }

  /** Stops sharing memory with the machine; the pages are no longer readable. */
  @Override
  public void close() {
    memory.close();
  }
}
