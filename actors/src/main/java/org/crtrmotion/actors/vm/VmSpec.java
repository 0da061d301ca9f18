package org.crtrmotion.actors.vm;

import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;

/**
 * What a VM actor boots.
 *
 * @param vmId the VM's id, unique in the cluster
 * @param config RAM, time mode, bootargs
 * @param plan the images to load
 * @param sliceInstructions how many instructions the guest thread runs between looks at its orders:
 *     the most a pause, a checkpoint or a status waits for (a few ms of guest time)
 * @param quotaInstructionsPerSecond the vCPU quota, as cloud VMs have: at most this many
 *     instructions per second of wall time; 0 for none
 * @param devices its disks and NICs in slot order, with the identity of each disk's base image
 */
public record VmSpec(
    String vmId,
    MachineConfig config,
    BootPlan plan,
    long sliceInstructions,
    long quotaInstructionsPerSecond,
    VmDevices devices) {
  /** 1 Mi instructions: the interpreter's own slice, a few milliseconds. */
  public static final long DEFAULT_SLICE_INSTRUCTIONS = 1L << 20;

  public VmSpec {
    devices = devices == null ? VmDevices.none() : devices;
    if (vmId == null || vmId.isBlank()) {
      throw new IllegalArgumentException("a VM needs an id");
    }
    if (sliceInstructions < 1) {
      throw new IllegalArgumentException(
          "slice must be at least 1 instruction, was " + sliceInstructions);
    }
    if (quotaInstructionsPerSecond < 0) {
      throw new IllegalArgumentException(
          "a vCPU quota is 0 (none) or a positive number of instructions per second, not "
              + quotaInstructionsPerSecond);
    }
  }

  public VmSpec(
      String vmId,
      MachineConfig config,
      BootPlan plan,
      long sliceInstructions,
      long quotaInstructionsPerSecond) {
    this(vmId, config, plan, sliceInstructions, quotaInstructionsPerSecond, VmDevices.none());
  }

  public VmSpec(String vmId, MachineConfig config, BootPlan plan, long sliceInstructions) {
    this(vmId, config, plan, sliceInstructions, 0);
  }

  public VmSpec(String vmId, MachineConfig config, BootPlan plan) {
    this(vmId, config, plan, DEFAULT_SLICE_INSTRUCTIONS);
  }

  /** This VM with a vCPU quota of {@code instructionsPerSecond} (0: none). */
  public VmSpec withQuota(long instructionsPerSecond) {
    return new VmSpec(vmId, config, plan, sliceInstructions, instructionsPerSecond, devices);
  }

  /** This VM with these devices. */
  public VmSpec withDevices(VmDevices devices) {
    return new VmSpec(vmId, config, plan, sliceInstructions, quotaInstructionsPerSecond, devices);
  }
}
