package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crtrmotion.tap.LibC;
import org.crtrmotion.tap.TapDevice;

/**
 * (As native's test helper of that name.) A network namespace a test creates with {@code ip netns
 * add} and deletes when closed.
 */
final class ScratchNamespace implements AutoCloseable {
  final String name = "crtr-test-" + UUID.randomUUID().toString().substring(0, 8);

  private ScratchNamespace() {}

  /** Skips the test (naming why) unless this runs as root with a TUN/TAP driver and {@code ip}. */
  static void assumeTapAvailable() {
    assumeTrue(
        LibC.INSTANCE.geteuid() == 0,
        "TAP tests need root (CAP_NET_ADMIN) to create namespaces and interfaces");
    assumeTrue(
        Files.exists(Path.of(TapDevice.CLONE_DEVICE)),
        TapDevice.CLONE_DEVICE + " is missing: no TUN/TAP driver on this host");
  }

  static ScratchNamespace create() throws IOException, InterruptedException {
    ScratchNamespace ns = new ScratchNamespace();
    run("ip", "netns", "add", ns.name);
    try {
      ns.ip("link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** Runs {@code ip -n NAME ARGS...} and returns its output, failing with it when it fails. */
  String ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
    return out;
  }

  /** Deletes the namespace and with it every interface still in it. */
  @Override
  public void close() throws IOException, InterruptedException {
    run("ip", "netns", "del", name);
  }
}
