package org.crtrmotion.vm.board.virtio;

import java.util.List;
import org.crtrmotion.vm.board.EmptyVirtioSlot;
import org.crtrmotion.vm.net.NetBackend;

/**
 * What is plugged into the board's virtio-mmio slots, with the host handles behind each device. The
 * handles outlive a board (a guest reset keeps its disk), and a restore takes them anew from its
 * caller: they are the live half of the device, the checkpoint the saved half.
 *
 * <p>Slots are taken as QEMU 7.2 takes them for {@code -device virtio-*-device}: the first device
 * goes into the highest slot (0x1000_8000, PLIC source 8), the next one below it.
 */
public record VirtioAttachments(List<Attachment> list) {
  public VirtioAttachments {
    list = List.copyOf(list);
    if (list.size() > EmptyVirtioSlot.COUNT) {
      throw new IllegalArgumentException(
          "the board has " + EmptyVirtioSlot.COUNT + " virtio slots, not " + list.size());
    }
  }

  /** A device and its host side. */
  public sealed interface Attachment permits Disk, Nic {}

  /** A virtio-blk device over a disk. */
  public record Disk(DiskImage image) implements Attachment {}

  /** A virtio-net device with its MAC address and host backend. */
  public record Nic(byte[] mac, NetBackend backend) implements Attachment {
    public Nic {
      mac = mac.clone();
      if (mac.length != 6 || (mac[0] & 1) != 0) {
        throw new IllegalArgumentException("a NIC needs a 6-byte unicast MAC address");
      }
    }

    /** QEMU's default for the first NIC: 52:54:00:12:34:56. */
    public static byte[] defaultMac() {
      return new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    }
  }

  public static VirtioAttachments none() {
    return new VirtioAttachments(List.of());
  }

  public static VirtioAttachments of(Attachment... attachments) {
    return new VirtioAttachments(List.of(attachments));
  }

  /** The slot of the {@code i}-th attachment. */
  public static int slotOf(int i) {
    return EmptyVirtioSlot.COUNT - 1 - i;
  }

  /** The NIC in {@code slot}, or null. */
  public Nic nicInSlot(int slot) {
    return inSlot(slot) instanceof Nic n ? n : null;
  }

  /** The attachment in {@code slot}, or null when the slot is empty. */
  public Attachment inSlot(int slot) {
    int i = EmptyVirtioSlot.COUNT - 1 - slot;
    return i < list.size() ? list.get(i) : null;
  }

  /** A fresh device for a board over the attachment's host handles. */
  public static VirtioDevice deviceFor(Attachment a, PacketOutput packets) {
    if (a instanceof Disk d) {
      return new VirtioBlk(d.image());
    }
    if (a instanceof Nic n) {
      return new VirtioNet(n.mac(), n.backend(), packets);
    }
    throw new IllegalArgumentException("no device for " + a);
  }
}
