package org.crtrmotion.vm.board.fdt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.crtrmotion.vm.loader.HostTools;

/** dtc, fdtput and QEMU's own device tree, for comparing ours with QEMU's. */
final class DeviceTreeTools {
  static final String FDTPUT = "fdtput";

  /** The CPU QEMU 7.2 must model to write our ISA string: RV64GC, no H, no B, no Sstc. */
  static final String QEMU_CPU =
      "rv64,h=false,Zihintpause=false,zba=false,zbb=false,zbc=false,zbs=false,sstc=false";

  /** Nodes of QEMU's tree for devices crtr does not emulate. */
  static final List<String> UNEMULATED_NODES =
      List.of(
          "/pmu",
          "/fw-cfg@10100000",
          "/flash@20000000",
          "/platform-bus@4000000",
          "/soc/rtc@101000",
          "/soc/pci@30000000");

  private DeviceTreeTools() {}

  record Decompiled(String source, Set<String> warnings) {}

  static Decompiled decompile(Path dir, byte[] blob) throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "tree", ".dtb");
    Files.write(file, blob);
    return decompile(dir, file);
  }

  static Decompiled decompile(Path dir, Path dtb) throws IOException, InterruptedException {
    HostTools.Result result =
        HostTools.check(dir, HostTools.DTC, "-I", "dtb", "-O", "dts", dtb.toString());
    Set<String> warnings = new TreeSet<>();
    for (String line : result.stderr().split("\n")) {
      int at = line.indexOf("Warning");
      if (at >= 0) {
        warnings.add(line.substring(at)); // drop dtc's "<stdout>: " or file-name prefix
      } else if (!line.isBlank()) {
        throw new AssertionError("dtc said: " + line);
      }
    }
    return new Decompiled(result.stdout(), warnings);
  }

  /** QEMU 7.2's tree for {@code -m memory} plus any extra arguments, as dumped by dumpdtb. */
  static Path qemuTree(Path dir, String memory, String... extra)
      throws IOException, InterruptedException {
    Path dtb = dir.resolve("qemu-" + memory + ".dtb");
    List<String> command =
        new ArrayList<>(
            List.of(
                HostTools.QEMU,
                "-M",
                "virt,dumpdtb=" + dtb,
                "-cpu",
                QEMU_CPU,
                "-smp",
                "1",
                "-m",
                memory,
                "-bios",
                "none",
                "-nographic"));
    command.addAll(List.of(extra));
    HostTools.check(dir, command.toArray(String[]::new));
    return dtb;
  }

  /** QEMU's tree less what crtr leaves out on purpose, and with crtr's MMU type. */
  static Path withoutUnemulated(Path dir, Path qemuDtb) throws IOException, InterruptedException {
    Path trimmed = dir.resolve("trimmed-" + qemuDtb.getFileName());
    Files.copy(qemuDtb, trimmed);
    for (String node : UNEMULATED_NODES) {
      HostTools.check(dir, FDTPUT, "-r", trimmed.toString(), node);
    }
    HostTools.check(dir, FDTPUT, "-d", trimmed.toString(), "/chosen", "rng-seed");
    HostTools.check(
        dir,
        FDTPUT,
        "-t",
        "s",
        trimmed.toString(),
        "/cpus/cpu@0",
        "mmu-type",
        VirtDeviceTree.MMU_TYPE);
    return trimmed;
  }
}
