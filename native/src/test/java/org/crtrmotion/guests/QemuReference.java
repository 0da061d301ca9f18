package org.crtrmotion.guests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an image on Debian's qemu-system-riscv64, the reference machine for differential tests. */
final class QemuReference {
  static final String BINARY = "qemu-system-riscv64";

  /** A guard against a hung reference, not a timing assertion: every guest here ends in seconds. */
  private static final long HANG_GUARD_SECONDS = 300;

  record Outcome(String output, int exitCode) {}

  private QemuReference() {}

  static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, BINARY))) {
        return true;
      }
    }
    return false;
  }

  static Outcome run(Path image, long ramBytes, String bootargs)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY,
                "-M",
                "virt",
                "-m",
                (ramBytes >> 20) + "M",
                "-bios",
                "none",
                "-nographic",
                "-kernel",
                image.toString()));
    if (bootargs != null) {
      cmd.add("-append");
      cmd.add(bootargs);
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(
          "QEMU did not finish " + image.getFileName() + " within " + HANG_GUARD_SECONDS + " s");
    }
    return new Outcome(new String(out, StandardCharsets.ISO_8859_1), p.exitValue());
  }
}
