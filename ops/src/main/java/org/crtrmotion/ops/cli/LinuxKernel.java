package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Finds the Linux guest's kernel Image: the one given, else {@code $CRTR_LINUX_IMAGE}, else what
 * {@code native/linux/build-kernel.sh --print-path} prints (it builds the kernel if its cache lacks
 * it, which takes minutes the first time).
 */
final class LinuxKernel {
  static final String IMAGE_VARIABLE = "CRTR_LINUX_IMAGE";

  private LinuxKernel() {}

  static Path locate(Path given) throws IOException, InterruptedException {
    if (given != null) {
      return existing(given);
    }
    String fromEnvironment = System.getenv(IMAGE_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return existing(Path.of(fromEnvironment));
    }
    String root = System.getenv("CRTR_ROOT");
    Path script = root == null ? null : Path.of(root, "native", "linux", "build-kernel.sh");
    if (script == null || !Files.isExecutable(script)) {
      throw new NoSuchFileException(
          "kernel Image",
          null,
          "give --kernel FILE, set "
              + IMAGE_VARIABLE
              + ", or run from a checkout through ./crtr"
              + " so that native/linux/build-kernel.sh can build it");
    }
    System.err.println(
        "crtr: locating the Linux guest with "
            + script
            + " --print-path"
            + " (the first build takes minutes)");
    Process p =
        new ProcessBuilder(script.toString(), "--print-path")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IOException(script + " failed (exit code " + p.exitValue() + ")");
    }
    String[] lines = out.split("\n");
    return existing(Path.of(lines[lines.length - 1].trim()));
  }

  private static Path existing(Path image) throws NoSuchFileException {
    if (!Files.isRegularFile(image)) {
      throw new NoSuchFileException(image.toString(), null, "no such kernel Image");
    }
    return image;
  }
}
