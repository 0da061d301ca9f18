package org.crtrmotion.ops.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.board.virtio.DiskImage;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.net.HostForward;
import org.crtrmotion.vm.net.UdpGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device guests on crtr and on QEMU 7.2 with its own virtio-mmio devices (modern layout: {@code
 * -global virtio-mmio.force-legacy=false}): the same client gets the same answers from netkv.elf
 * through each one's hostfwd, and disk.elf prints the same lines. Skipped without QEMU.
 */
class QemuDevicesDifferentialTest {
  private static final String QEMU = "qemu-system-riscv64";
  private static final int REQUESTS = 100;

  /** A guard against a hung reference, not a timing assertion. */
  private static final long HANG_GUARD_SECONDS = 120;

  @TempDir Path dir;

  @BeforeEach
  void needsQemu() {
    boolean found = false;
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= Files.isExecutable(Path.of(d, QEMU));
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(found, QEMU + " is not installed");
  }

  private Path image(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, BundledGuests.read(name).orElseThrow());
    return p;
  }

  private Process qemu(Path image, String bootargs, String... devices) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                QEMU,
                "-M",
                "virt",
                "-m",
                "16M",
                "-bios",
                "none",
                "-nographic",
                "-global",
                "virtio-mmio.force-legacy=false",
                "-kernel",
                image.toString(),
                "-append",
                bootargs));
    cmd.addAll(Arrays.asList(devices));
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Copies a process's output into a console, so a test can wait for a line. */
  private static Thread pump(InputStream in, GuestConsole console) {
    Thread t =
        new Thread(
            () -> {
              try {
                int b;
                while ((b = in.read()) >= 0) {
                  console.write(b);
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            },
            "qemu-console");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The replies the client got; every one of them right, none twice. */
  private static Map<Long, byte[]> load(int port, GuestConsole ready, boolean lossless)
      throws Exception {
    assertTrue(ready.await(HANG_GUARD_SECONDS), "netkv never came up: " + ready.text());
    LoadClient client =
        new LoadClient(new InetSocketAddress("127.0.0.1", port), 16, System::nanoTime);
    LoadReport r = client.run(REQUESTS, 200, 10_000);
    assertEquals(0, r.wrong() + r.duplicated(), r.text());
    if (lossless) {
      assertTrue(r.clean(), r.text());
    }
    return client.replies();
  }

  @Test
  void netkvGivesTheSameAnswersOnBoth() throws Exception {
    String bootargs = "report=50 requests=" + REQUESTS;
    int port = freeUdpPort();
    Process q =
        qemu(
            image("netkv.elf"),
            bootargs,
            "-netdev",
            "user,id=n,hostfwd=udp:127.0.0.1:" + port + "-:5555",
            "-device",
            "virtio-net-device,netdev=n");
    GuestConsole qemuConsole = new GuestConsole("netkv: ip=");
    Thread pumping = pump(q.getInputStream(), qemuConsole);
    Map<Long, byte[]> fromQemu;
    try {
      // QEMU's user network may drop a datagram when the host is loaded; then netkv waits for
      // more requests instead of ending, and is stopped here.
      fromQemu = load(port, qemuConsole, false);
    } finally {
      q.destroyForcibly();
      q.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
      pumping.join();
    }

    byte[] mac = VirtioAttachments.Nic.defaultMac();
    GuestConsole crtrConsole = new GuestConsole("netkv: ip=");
    Map<Long, byte[]> fromCrtr;
    try (UdpGateway gateway =
        UdpGateway.open(new HostForward("127.0.0.1", 0, HostForward.DEFAULT_GUEST, 5555), mac)) {
      Machine m =
          Machine.boot(
              MachineConfig.defaults().withRamBytes(16L << 20).withBootargs(bootargs),
              NetkvOnCrtrTest.netkv(),
              crtrConsole,
              VirtioAttachments.of(new VirtioAttachments.Nic(mac, gateway)));
      RunResult[] end = new RunResult[1];
      Thread guest = new Thread(() -> end[0] = m.run(0), "netkv");
      guest.start();
      fromCrtr = load(gateway.boundPort(), crtrConsole, true);
      guest.join(HANG_GUARD_SECONDS * 1000);
      assertEquals(StopReason.POWER_OFF, end[0].reason(), end[0].detail());
    }
    assertTrue(fromQemu.size() >= REQUESTS * 9 / 10, fromQemu.size() + " replies from QEMU");
    for (Long s : fromQemu.keySet()) {
      assertEquals(
          Arrays.toString(fromQemu.get(s)), Arrays.toString(fromCrtr.get(s)), "reply " + s);
    }
    // QEMU is killed once the client is done, possibly while it prints its last line: compare the
    // lines it completed, which crtr (run to its power-off) must have printed the same.
    String qemuLines = qemuConsole.text().replace("\r\n", "\n");
    String qemuComplete = qemuLines.substring(0, qemuLines.lastIndexOf('\n') + 1);
    assertTrue(qemuComplete.startsWith("netkv: ip="), qemuLines);
    assertTrue(
        crtrConsole.text().startsWith(qemuComplete),
        "QEMU printed\n" + qemuComplete + "crtr printed\n" + crtrConsole.text());
  }

  @Test
  void diskGuestPrintsTheSameLinesOnBoth() throws Exception {
    String bootargs = "blocks=8 rounds=3";
    Path disk = dir.resolve("disk.img");
    Files.write(disk, new byte[256 * 1024]);
    Process q =
        qemu(
            image("disk.elf"),
            bootargs,
            "-drive",
            "file=" + disk + ",if=none,format=raw,id=d",
            "-device",
            "virtio-blk-device,drive=d");
    byte[] out = q.getInputStream().readAllBytes();
    assertTrue(q.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "QEMU did not end");
    String fromQemu = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);

    Files.write(disk, new byte[256 * 1024]); // QEMU wrote into it; crtr starts from the same base
    GuestConsole console = new GuestConsole("disk: done");
    try (DiskImage image = DiskImage.open(disk)) {
      Machine m =
          Machine.boot(
              MachineConfig.defaults().withRamBytes(16L << 20).withBootargs(bootargs),
              new BootPlan.BareMetal(ElfLoader.parse(BundledGuests.read("disk.elf").orElseThrow())),
              console,
              VirtioAttachments.of(new VirtioAttachments.Disk(image)));
      RunResult end = m.run(0);
      assertEquals(StopReason.POWER_OFF, end.reason(), end.detail());
      assertEquals(q.exitValue(), end.exitCode());
    }
    assertTrue(fromQemu.contains("disk: round 3 ok"), fromQemu);
    assertEquals(fromQemu.replace("\r\n", "\n"), console.text());
  }
}
