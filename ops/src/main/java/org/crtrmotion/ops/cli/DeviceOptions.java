package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.board.virtio.DiskImage;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import picocli.CommandLine.Option;

/** The virtio devices to plug into the board, in QEMU's order (the first in the highest slot). */
final class DeviceOptions {
  @Option(
      names = "--drive",
      paramLabel = "FILE",
      description =
          "a raw disk image for a virtio-blk device, opened read-only: the guest's writes stay in"
              + " a copy-on-write overlay that is part of the VM state (repeatable)")
  List<Path> drives = new ArrayList<>();

  /** Opened devices; close them when the machine is done. */
  static final class Opened implements AutoCloseable {
    final VirtioAttachments attachments;
    private final List<DiskImage> disks;

    Opened(VirtioAttachments attachments, List<DiskImage> disks) {
      this.attachments = attachments;
      this.disks = disks;
    }

    @Override
    public void close() {
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
    List<VirtioAttachments.Attachment> list = new ArrayList<>();
    try {
      for (Path p : drives) {
        DiskImage d = DiskImage.open(p);
        disks.add(d);
        list.add(new VirtioAttachments.Disk(d));
      }
      return new Opened(new VirtioAttachments(list), disks);
    } catch (IOException | IllegalArgumentException e) {
      new Opened(VirtioAttachments.none(), disks).close();
      throw new MachineOptions.BadInput("--drive: " + RunCommand.message(e));
    }
  }
}
