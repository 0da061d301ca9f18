package org.crtrmotion.vm.machine;

import org.crtrmotion.vm.checkpoint.CheckpointFormatException;
import org.crtrmotion.vm.checkpoint.proto.ClockState;
import org.crtrmotion.vm.checkpoint.proto.MachineFacts;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.time.TimeMode;

/**
 * What a machine state must satisfy before it is loaded: a stream that passed its checksums may
 * still come from a faulty or foreign writer, and it must be refused with a reason, not crash.
 */
final class StateChecks {
  private StateChecks() {}

  /** The configuration the state's machine was built with. */
  static MachineConfig config(MachineState s) throws CheckpointFormatException {
    requireParts(s);
    MachineFacts f = s.getMachine();
    if (f.getRamBase() != MachineConfig.RAM_BASE) {
      throw refused(
          String.format("RAM at 0x%x, not at 0x%x", f.getRamBase(), MachineConfig.RAM_BASE));
    }
    TimeMode mode =
        switch (f.getTimeMode()) {
          case TIME_MODE_VIRTUAL -> TimeMode.VIRTUAL;
          case TIME_MODE_HOST -> TimeMode.HOST;
          default -> throw refused("unknown time mode " + f.getTimeModeValue());
        };
    try {
      return new MachineConfig(
          f.getRamBytes(),
          mode,
          f.hasBootargs() ? f.getBootargs() : null,
          f.getInstructionsPerTick());
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
  }

  /** The state describes a machine built like this one. */
  static void fits(MachineState s, GuestMemory ram, MachineConfig config)
      throws CheckpointFormatException {
    MachineConfig stated = config(s);
    if (stated.ramBytes() != ram.size() || stated.timeMode() != config.timeMode()) {
      throw refused(
          String.format(
              "it is of a machine with %d bytes of RAM in %s time, this one has %d in %s time",
              stated.ramBytes(), stated.timeMode(), ram.size(), config.timeMode()));
    }
    boolean virtual = s.getClock().getKindCase() == ClockState.KindCase.VIRTUAL;
    if (virtual != (config.timeMode() == TimeMode.VIRTUAL)) {
      throw refused("its clock does not match its time mode");
    }
    long fdt = s.getMachine().getFdtAddress();
    if (fdt != 0 && !ram.contains(fdt)) {
      throw refused(String.format("device tree address 0x%x is outside RAM", fdt));
    }
    if (s.hasHtif()
        && (!ram.contains(s.getHtif().getTohost())
            || (s.getHtif().getFromhost() != 0 && !ram.contains(s.getHtif().getFromhost())))) {
      throw refused("HTIF words outside RAM");
    }
  }

  private static void requireParts(MachineState s) throws CheckpointFormatException {
    if (!s.hasMachine()
        || !s.hasHart()
        || !s.hasClock()
        || s.getClock().getKindCase() == ClockState.KindCase.KIND_NOT_SET
        || !s.hasClint()
        || !s.hasPlic()
        || !s.hasUart()
        || !s.hasBootRom()) {
      throw refused(
          "a part of the machine is missing (machine, hart, clock, CLINT, PLIC, UART or"
              + " boot ROM)");
    }
  }

  private static CheckpointFormatException refused(String why) {
    return new CheckpointFormatException("checkpoint state refused: " + why);
  }
}
