package org.crtrmotion.vm.board.virtio;

import java.util.List;
import org.crtrmotion.vm.board.EmptyVirtioSlot;

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
  public sealed interface Attachment permits Disk {}

  /** A virtio-blk device over a disk. */
  public record Disk(DiskImage image) implements Attachment {}

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

  /** The attachment in {@code slot}, or null when the slot is empty. */
  public Attachment inSlot(int slot) {
    int i = EmptyVirtioSlot.COUNT - 1 - slot;
    return i < list.size() ? list.get(i) : null;
  }

  /** A fresh device for a board over the attachment's host handles. */
  public static VirtioDevice deviceFor(Attachment a) {
    if (a instanceof Disk d) {
      return new VirtioBlk(d.image());
    }
    throw new IllegalArgumentException("no device for " + a);
  }
}
