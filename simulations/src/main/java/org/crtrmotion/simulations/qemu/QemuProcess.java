package org.crtrmotion.simulations.qemu;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code qemu-system-riscv64} on the {@code virt} board with its QMP connection, its console
 * written to a file, and its stderr kept for error messages. Closing kills the process.
 *
 * <p>QMP runs over a UNIX socket that we listen on and QEMU connects to as a client at start-up, so
 * there is no window in which we would have to retry connecting to a socket QEMU has not yet made.
 */
final class QemuProcess implements AutoCloseable {
  static final String BINARY = "qemu-system-riscv64";

  /** A guard against a QEMU that hangs at start-up; it connects within a second here. */
  private static final Duration START_GUARD = Duration.ofSeconds(30);

  private final String role;
  private final Process process;
  private final Path console;
  private final Path stderr;
  private final Thread killer;
  private QmpClient qmp;

  private QemuProcess(String role, Process process, Path console, Path stderr) {
    this.role = role;
    this.process = process;
    this.console = console;
    this.stderr = stderr;
    // A JVM that exits while a migration runs must not leave QEMU behind.
    this.killer = new Thread(process::destroyForcibly, "kill-" + role);
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Whether {@code qemu-system-riscv64} is on the PATH. */
  static boolean installed() {
    return installed(System.getenv().getOrDefault("PATH", ""));
  }

  /** Whether {@code qemu-system-riscv64} is in one of {@code path}'s folders. */
  static boolean installed(String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, BINARY))) {
        return true;
      }
    }
    return false;
  }

  /** Refuses, saying what to install, when {@code qemu-system-riscv64} is not in {@code path}. */
  static void requireInstalled(String path) throws QemuUnavailableException {
    if (!installed(path)) {
      throw new QemuUnavailableException(
          BINARY
              + " is not on the PATH ("
              + path
              + "); install Debian's qemu-system-misc (QEMU 7.2)");
    }
  }

  /**
   * Starts QEMU for {@code run}'s guest, its files named after {@code name} in {@code dir}, with
   * {@code extra} arguments (e.g. {@code -S} or {@code -incoming defer}), and connects QMP.
   *
   * @param role a name for messages, e.g. {@code "source QEMU"}
   */
  static QemuProcess start(String role, String name, Path dir, QemuRun run, List<String> extra)
      throws IOException {
    requireInstalled(System.getenv().getOrDefault("PATH", ""));
    Path socket = dir.resolve(name + "-qmp.sock");
    Path console = dir.resolve(name + "-console.txt");
    Path stderr = dir.resolve(name + "-stderr.txt");
    Files.deleteIfExists(socket);
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(socket));
      List<String> cmd = new ArrayList<>();
      cmd.addAll(
          List.of(
              BINARY,
              "-M",
              "virt",
              "-m",
              run.ramMib() + "M",
              "-bios",
              "none",
              "-nodefaults",
              "-display",
              "none",
              "-serial",
              "file:" + console,
              "-chardev",
              "socket,id=qmp,path=" + socket,
              "-mon",
              "chardev=qmp,mode=control",
              "-kernel",
              run.image().toString(),
              "-append",
              run.bootargs()));
      cmd.addAll(extra);
      Process process =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
              .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
              .start();
      QemuProcess qemu = new QemuProcess(role, process, console, stderr);
      try {
        qemu.qmp = qemu.handshake(qemu.accept(listener));
        return qemu;
      } catch (IOException | RuntimeException e) {
        qemu.close();
        throw e;
      }
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  private SocketChannel accept(ServerSocketChannel listener) throws IOException {
    listener.configureBlocking(false);
    long deadline = System.nanoTime() + START_GUARD.toNanos();
    try (Selector selector = Selector.open()) {
      listener.register(selector, SelectionKey.OP_ACCEPT);
      while (System.nanoTime() < deadline) {
        // Woken by QEMU connecting; the timeout is only there to notice a QEMU that exited.
        selector.select(100);
        SocketChannel channel = listener.accept();
        if (channel != null) {
          channel.configureBlocking(true);
          return channel;
        }
        if (!process.isAlive()) {
          throw new QemuMigrationException(
              role
                  + " exited with status "
                  + process.exitValue()
                  + " before connecting to QMP: "
                  + stderrText());
        }
      }
    }
    throw new QemuMigrationException(
        role + " did not connect to QMP within " + START_GUARD + ": " + stderrText());
  }

  /** Enters QMP command mode; a QEMU that connects and then exits (a bad image) is named so. */
  private QmpClient handshake(SocketChannel channel) throws IOException {
    try {
      return QmpClient.over(role, channel);
    } catch (IOException e) {
      boolean exited;
      try {
        // QEMU connects its QMP socket before loading the guest and exits if it cannot.
        exited = process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        exited = false;
      }
      if (exited) {
        throw new QemuMigrationException(
            role + " exited with status " + process.exitValue() + " at start-up: " + stderrText(),
            e);
      }
      throw new QemuMigrationException(role + " failed its QMP handshake: " + e.getMessage(), e);
    }
  }

  String role() {
    return role;
  }

  QmpClient qmp() {
    return qmp;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What the guest has written to its console so far. */
  String console() throws IOException {
    return Files.exists(console)
        ? new String(Files.readAllBytes(console), StandardCharsets.ISO_8859_1)
        : "";
  }

  /** QEMU's own messages (stderr and stdout), trimmed, or a note that there were none. */
  String stderrText() {
    try {
      String text =
          Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8).trim() : "";
      return text.isEmpty() ? "(no message on stderr)" : text;
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills QEMU and waits for it to be gone. */
  @Override
  public void close() {
    try {
      if (qmp != null) {
        qmp.close();
      }
    } catch (IOException e) {
      // the process is killed below either way
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway
    }
  }
}
