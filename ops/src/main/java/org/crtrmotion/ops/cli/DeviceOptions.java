package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.tap.TapBackend;
import org.crtrmotion.vm.board.virtio.DiskImage;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.net.HostForward;
import org.crtrmotion.vm.net.NetBackend;
import org.crtrmotion.vm.net.UdpGateway;
import picocli.CommandLine.Option;

/** The virtio devices to plug into the board, in QEMU's order (the first in the highest slot). */
final class DeviceOptions {
  private static final String TAP = "tap=";

  @Option(
      names = "--drive",
      paramLabel = "FILE",
      description =
          "a raw disk image for a virtio-blk device, opened read-only: the guest's writes stay in"
              + " a copy-on-write overlay that is part of the VM state (repeatable)")
  List<Path> drives = new ArrayList<>();

  @Option(
      names = "--net",
      paramLabel = "SPEC",
      description =
          "a virtio-net device, in QEMU-like syntax: hostfwd=udp:127.0.0.1:PORT-:GUESTPORT"
              + " forwards a host UDP port to the guest (the guest is 10.0.2.15, the gateway"
              + " 10.0.2.2); tap=NAME puts it on the Linux TAP interface NAME (created if missing,"
              + " needs root; give the interface an address and bring it up with ip)."
              + " Repeatable, MACs 52:54:00:12:34:56 and up")
  List<String> nets = new ArrayList<>();

  /** Opened devices; close them when the machine is done. */
  static final class Opened implements AutoCloseable {
    final VirtioAttachments attachments;
    private final List<DiskImage> disks;
    private final List<NetBackend> backends;

    Opened(VirtioAttachments attachments, List<DiskImage> disks, List<NetBackend> backends) {
      this.attachments = attachments;
      this.disks = disks;
      this.backends = backends;
    }

    @Override
    public void close() {
      for (NetBackend b : backends) {
        b.close();
      }
      for (DiskImage d : disks) {
        try {
          d.close();
        } catch (IOException e) {
          // Read-only files: nothing was pending, nothing is lost.
        }
      }
    }
  }

  Opened open() throws MachineOptions.BadInput {
    List<DiskImage> disks = new ArrayList<>();
    List<NetBackend> backends = new ArrayList<>();
    List<VirtioAttachments.Attachment> list = new ArrayList<>();
    String option = "--net";
    try {
      for (String spec : nets) {
        byte[] mac = VirtioAttachments.Nic.defaultMac();
        mac[5] += (byte) backends.size();
        NetBackend backend = openNet(spec, mac);
        backends.add(backend);
        list.add(new VirtioAttachments.Nic(mac, backend));
      }
      option = "--drive";
      for (Path p : drives) {
        DiskImage d = DiskImage.open(p);
        disks.add(d);
        list.add(new VirtioAttachments.Disk(d));
      }
      return new Opened(new VirtioAttachments(list), disks, backends);
    } catch (IOException | IllegalArgumentException e) {
      new Opened(VirtioAttachments.none(), disks, backends).close();
      throw new MachineOptions.BadInput(option + ": " + RunCommand.message(e));
    }
  }

  private static NetBackend openNet(String spec, byte[] mac) throws IOException {
    if (spec.startsWith(TAP)) {
      return TapBackend.open(spec.substring(TAP.length()));
    }
    HostForward fwd;
    try {
      fwd = HostForward.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", nor tap=NAME", e);
    }
    return UdpGateway.open(fwd, mac);
  }
}
