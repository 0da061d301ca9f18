package org.crtrmotion.ops.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;

/**
 * The guests the demo migrates: bundled images run until stopped, in host time so that every time
 * read is a real input the source records (CR/TR) or that dirties state (pre-copy).
 */
public enum Workload {
  /** Sleeps in WFI and prints a line per 50 ms tick. */
  IDLE("idle.elf", 16L << 20, "period_ms=50 ticks=0", 1L << 10),
  /** Compute-bound rounds of hashing, sorting and arithmetic, a line per round. */
  CPU("cpu.elf", 16L << 20, "rounds=1000000", 1L << 18),
  /**
   * Rewrites 16 pages of a 1 MiB working set per 1 ms tick (64 MiB/s), a checked line per 50 ticks.
   */
  MEMORY("memory.elf", 32L << 20, "wss=1M rate=16 period_us=1000 ticks=0 report=50", 1L << 16);

  private final String image;
  private final long ramBytes;
  private final String bootargs;
  private final long sliceInstructions;

  Workload(String image, long ramBytes, String bootargs, long sliceInstructions) {
    this.image = image;
    this.ramBytes = ramBytes;
    this.bootargs = bootargs;
    this.sliceInstructions = sliceInstructions;
  }

  public String image() {
    return image;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public MachineConfig machineConfig() {
    return MachineConfig.defaults()
        .withRamBytes(ramBytes)
        .withTimeMode(TimeMode.HOST)
        .withBootargs(bootargs);
  }

  public long ramBytes() {
    return ramBytes;
  }

  /**
   * The guest thread's slice: a recording source hands its trace over once per slice, and a freeze
   * waits for the slice to end, so guests that sleep want short ones.
   */
  public long sliceInstructions() {
    return sliceInstructions;
  }

  /** The workload named {@code name}, or an error naming it and listing the known ones. */
  public static Workload parse(String name) {
    for (Workload w : values()) {
      if (w.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown workload '"
            + name
            + "'; known: "
            + Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", ")));
  }
}
