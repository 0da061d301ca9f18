package org.crtrmotion.vm.loader;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host tools some tests compare against (the RISC-V cross toolchain, QEMU, dtc). Tests
 * skip, rather than fail, where a tool is missing; CI installs all of them.
 */
public final class HostTools {
  public static final String GCC = "riscv64-unknown-elf-gcc";
  public static final String QEMU = "qemu-system-riscv64";
  public static final String DTC = "dtc";
  private static final long TIMEOUT_SECONDS = 60;

  private HostTools() {}

  public record Result(int exitCode, String stdout, String stderr) {}

  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  public static void assumeInstalled(String... tools) {
    for (String tool : tools) {
      assumeTrue(onPath(tool), tool + " is not installed");
    }
  }

  /** Runs a command in {@code dir} with no input; fails the test on a non-zero exit. */
  public static Result check(Path dir, String... command) throws IOException, InterruptedException {
    Result result = run(dir, command);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", command)
              + " exited with "
              + result.exitCode()
              + "\n"
              + result.stderr()
              + result.stdout());
    }
    return result;
  }

  public static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Copies a classpath resource next to the test's files, for tools that want a path. */
  public static Path resource(Class<?> owner, String name, Path dir) throws IOException {
    try (var in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      Path target = dir.resolve(name);
      Files.copy(in, target);
      return target;
    }
  }
}
