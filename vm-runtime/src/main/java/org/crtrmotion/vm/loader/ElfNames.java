package org.crtrmotion.vm.loader;

import java.util.Map;

/** Human names for ELF codes, so a message says "x86-64" rather than only "62". */
final class ElfNames {
  static final int EM_RISCV = 243;

  private static final Map<Integer, String> MACHINES =
      Map.ofEntries(
          Map.entry(0, "none"),
          Map.entry(2, "SPARC"),
          Map.entry(3, "x86"),
          Map.entry(8, "MIPS"),
          Map.entry(20, "PowerPC"),
          Map.entry(21, "PowerPC64"),
          Map.entry(22, "S/390"),
          Map.entry(40, "ARM"),
          Map.entry(43, "SPARC V9"),
          Map.entry(50, "IA-64"),
          Map.entry(62, "x86-64"),
          Map.entry(183, "AArch64"),
          Map.entry(EM_RISCV, "RISC-V"),
          Map.entry(247, "eBPF"),
          Map.entry(258, "LoongArch"));

  private static final Map<Integer, String> TYPES =
      Map.of(
          0, "ET_NONE, no file type",
          1, "ET_REL, relocatable object",
          2, "ET_EXEC, executable",
          3, "ET_DYN, shared object or position-independent executable",
          4, "ET_CORE, core dump");

  private ElfNames() {}

  static String machine(int code) {
    return MACHINES.getOrDefault(code, "unknown");
  }

  static String type(int code) {
    return TYPES.getOrDefault(code, "unknown");
  }
}
