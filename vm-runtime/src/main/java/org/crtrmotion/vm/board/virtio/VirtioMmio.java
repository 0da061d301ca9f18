package org.crtrmotion.vm.board.virtio;

import org.crtrmotion.vm.board.EmptyVirtioSlot;
import org.crtrmotion.vm.board.Plic;
import org.crtrmotion.vm.bus.MmioDevice;
import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;

/**
 * A virtio-mmio transport with the virtio 1.x ("modern", version 2) register layout (§4.2.2) in one
 * of the board's slots, its interrupt on the slot's PLIC source. Only VIRTIO_F_VERSION_1 is added
 * to the device's features; a driver that does not accept it fails FEATURES_OK. A driver error in a
 * queue sets DEVICE_NEEDS_RESET and a configuration-change interrupt, as §2.1.2 allows, instead of
 * touching memory it should not.
 */
public final class VirtioMmio implements MmioDevice, Digestible {
  static final int MAGIC = 0x74726976; // "virt"
  static final int VERSION = 2;
  static final int VENDOR = 0x554d4551; // "QEMU", as QEMU's transports say
  static final long F_VERSION_1 = 1L << 32;

  static final int STATUS_FEATURES_OK = 8;
  static final int STATUS_DRIVER_OK = 4;
  static final int STATUS_NEEDS_RESET = 64;
  static final int INT_USED_BUFFER = 1;
  static final int INT_CONFIG_CHANGE = 2;

  static final int CONFIG = 0x100;

  private final int slot;
  private final GuestMemory ram;
  private final Plic plic;
  private final VirtioDevice device;
  private final Virtqueue[] queues;

  private int deviceFeaturesSel;
  private int driverFeaturesSel;
  private long driverFeatures;
  private int queueSel;
  private int status;
  private int interruptStatus;
  private int configGeneration;
  private String lastError; // the last driver error, for diagnostics; not state

  public VirtioMmio(int slot, GuestMemory ram, Plic plic, VirtioDevice device) {
    if (slot < 0 || slot >= EmptyVirtioSlot.COUNT) {
      throw new IllegalArgumentException("virtio-mmio slot " + slot + " is not 0 to 7");
    }
    this.slot = slot;
    this.ram = ram;
    this.plic = plic;
    this.device = device;
    this.queues = new Virtqueue[device.queueCount()];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new Virtqueue(ram, device.queueSizeMax());
    }
    device.attached(this);
  }

  public static long base(int slot) {
    return EmptyVirtioSlot.FIRST_BASE + slot * EmptyVirtioSlot.STRIDE;
  }

  public int slot() {
    return slot;
  }

  public VirtioDevice device() {
    return device;
  }

  public int irq() {
    return EmptyVirtioSlot.FIRST_IRQ + slot;
  }

  /** Why the device last asked for a reset, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public String name() {
    return "virtio_mmio" + slot;
  }

  @Override
  public long size() {
    return EmptyVirtioSlot.STRIDE;
  }

  @Override
  public boolean accepts(long offset, int width) {
    if (offset >= CONFIG) {
      return width <= 4 && (offset & (width - 1)) == 0; // config space: 8-bit to 32-bit fields
    }
    return width == 4 && (offset & 3) == 0;
  }

  Virtqueue queue(int index) {
    return queues[index];
  }

  private Virtqueue selected() {
    return queueSel < queues.length ? queues[queueSel] : null;
  }

  private long allFeatures() {
    return device.features() | F_VERSION_1;
  }

  @Override
  public long read(long offset, int width) {
    if (offset >= CONFIG) {
      return device.readConfig((int) offset - CONFIG, width);
    }
    Virtqueue q = selected();
    long v =
        switch ((int) offset) {
          case 0x000 -> MAGIC;
          case 0x004 -> VERSION;
          case 0x008 -> device.deviceId();
          case 0x00c -> VENDOR;
          case 0x010 -> deviceFeaturesSel <= 1 ? allFeatures() >>> (32 * deviceFeaturesSel) : 0;
          case 0x034 -> q == null ? 0 : q.maxSize();
          case 0x038 -> q == null ? 0 : q.size;
          case 0x044 -> q != null && q.ready ? 1 : 0;
          case 0x060 -> interruptStatus;
          case 0x070 -> status;
          case 0x080 -> q == null ? 0 : q.desc;
          case 0x084 -> q == null ? 0 : q.desc >>> 32;
          case 0x090 -> q == null ? 0 : q.driver;
          case 0x094 -> q == null ? 0 : q.driver >>> 32;
          case 0x0a0 -> q == null ? 0 : q.device;
          case 0x0a4 -> q == null ? 0 : q.device >>> 32;
          case 0x0fc -> configGeneration;
          default -> 0;
        };
    return v & 0xffff_ffffL;
  }

  @Override
  public void write(long offset, int width, long value) {
    if (offset >= CONFIG) {
      device.writeConfig((int) offset - CONFIG, width, value);
      return;
    }
    int v = (int) value;
    Virtqueue q = selected();
    switch ((int) offset) {
      case 0x014 -> deviceFeaturesSel = v;
      case 0x020 -> writeDriverFeatures(v);
      case 0x024 -> driverFeaturesSel = v;
      case 0x030 -> queueSel = v;
      case 0x038 -> {
        if (q != null && !q.ready && v >= 0 && v <= q.maxSize()) {
          q.size = v;
        }
      }
      case 0x044 -> {
        if (q != null) {
          q.ready = (v & 1) != 0;
        }
      }
      case 0x050 -> notifyQueue(v);
      case 0x064 -> acknowledge(v);
      case 0x070 -> writeStatus(v);
      case 0x080 -> setLow(q, 0, v);
      case 0x084 -> setHigh(q, 0, v);
      case 0x090 -> setLow(q, 1, v);
      case 0x094 -> setHigh(q, 1, v);
      case 0x0a0 -> setLow(q, 2, v);
      case 0x0a4 -> setHigh(q, 2, v);
      default -> {}
    }
  }

  private void writeDriverFeatures(int v) {
    if ((status & STATUS_FEATURES_OK) != 0 || driverFeaturesSel > 1) {
      return; // features are fixed once accepted
    }
    int shift = 32 * driverFeaturesSel;
    driverFeatures = (driverFeatures & ~(0xffff_ffffL << shift)) | ((v & 0xffff_ffffL) << shift);
  }

  private static void setLow(Virtqueue q, int area, int v) {
    if (q != null && !q.ready) {
      setArea(q, area, (areaOf(q, area) & 0xffff_ffff_0000_0000L) | (v & 0xffff_ffffL));
    }
  }

  private static void setHigh(Virtqueue q, int area, int v) {
    if (q != null && !q.ready) {
      setArea(q, area, (areaOf(q, area) & 0xffff_ffffL) | ((long) v << 32));
    }
  }

  private static long areaOf(Virtqueue q, int area) {
    return area == 0 ? q.desc : area == 1 ? q.driver : q.device;
  }

  private static void setArea(Virtqueue q, int area, long address) {
    switch (area) {
      case 0 -> q.desc = address;
      case 1 -> q.driver = address;
      default -> q.device = address;
    }
  }

  private void writeStatus(int v) {
    if (v == 0) {
      reset();
      return;
    }
    int next = v & 0xff;
    boolean acceptingFeatures =
        (next & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0;
    if (acceptingFeatures
        && ((driverFeatures & F_VERSION_1) == 0 || (driverFeatures & ~allFeatures()) != 0)) {
      next &= ~STATUS_FEATURES_OK; // the driver reads it back and gives up
    }
    status = next | (status & STATUS_NEEDS_RESET);
  }

  private void reset() {
    deviceFeaturesSel = driverFeaturesSel = queueSel = 0;
    driverFeatures = 0;
    status = 0;
    interruptStatus = 0;
    for (Virtqueue q : queues) {
      q.reset();
    }
    device.reset();
    plic.setLevel(irq(), false);
  }

  private void acknowledge(int bits) {
    interruptStatus &= ~bits;
    plic.setLevel(irq(), interruptStatus != 0);
  }

  private boolean live() {
    return (status & STATUS_DRIVER_OK) != 0 && (status & STATUS_NEEDS_RESET) == 0;
  }

  private void notifyQueue(int index) {
    if (!live() || index < 0 || index >= queues.length || !queues[index].ready) {
      return;
    }
    try {
      device.notify(index, this);
    } catch (Virtqueue.DriverError e) {
      needsReset(e.getMessage());
    }
  }

  /** Whether the device may use {@code queue} now (driver ready, queue ready, no pending reset). */
  boolean usable(int queue) {
    return live() && queues[queue].ready && queues[queue].size > 0;
  }

  /** Takes a driver error found outside a notification (a device receiving, say). */
  void needsReset(String why) {
    lastError = why;
    status |= STATUS_NEEDS_RESET;
    raise(INT_CONFIG_CHANGE);
  }

  /** Interrupts the driver for used buffers on {@code queue}, unless it asked not to be. */
  void usedBuffers(int queue) throws Virtqueue.DriverError {
    if (!queues[queue].interruptSuppressed()) {
      raise(INT_USED_BUFFER);
    }
  }

  private void raise(int bits) {
    interruptStatus |= bits;
    plic.setLevel(irq(), true);
  }

  @Override
  public void digestInto(StateHasher h) {
    h.section(name()).putInt(device.deviceId());
    h.putInt(deviceFeaturesSel).putInt(driverFeaturesSel).putLong(driverFeatures);
    h.putInt(queueSel).putInt(status).putInt(interruptStatus).putInt(configGeneration);
    for (Virtqueue q : queues) {
      q.digestInto(h);
    }
    device.digestInto(h);
  }

  /** The guest memory the device reaches through its queues. */
  public GuestMemory memory() {
    return ram;
  }

  public VirtioSlotState save() {
    return save(0);
  }

  /**
   * The transport's state, and the device's for an incremental checkpoint since memory generation
   * {@code sinceGeneration} (0: a full one; see {@link
   * VirtioDevice#saveInto(VirtioSlotState.Builder, int)}).
   */
  public VirtioSlotState save(int sinceGeneration) {
    VirtioSlotState.Builder s =
        VirtioSlotState.newBuilder()
            .setSlot(slot)
            .setDeviceId(device.deviceId())
            .setDeviceFeaturesSel(deviceFeaturesSel)
            .setDriverFeaturesSel(driverFeaturesSel)
            .setDriverFeatures(driverFeatures)
            .setQueueSel(queueSel)
            .setStatus(status)
            .setInterruptStatus(interruptStatus)
            .setConfigGeneration(configGeneration);
    for (Virtqueue q : queues) {
      s.addQueues(q.save());
    }
    device.saveInto(s, sinceGeneration);
    return s.build();
  }

  /**
   * Takes the registers, queues and device state without driving the PLIC line: the PLIC's own
   * state carries it. Throws IllegalArgumentException for a state of another slot or device.
   */
  public void restore(VirtioSlotState s) {
    if (s.getSlot() != slot || s.getDeviceId() != device.deviceId()) {
      throw new IllegalArgumentException(
          String.format(
              "virtio slot %d holds device %d, but the checkpoint has device %d in slot %d",
              slot, device.deviceId(), s.getDeviceId(), s.getSlot()));
    }
    if (s.getQueuesCount() != queues.length) {
      throw new IllegalArgumentException(
          "virtio slot " + slot + " has " + queues.length + " queues, not " + s.getQueuesCount());
    }
    for (int i = 0; i < queues.length; i++) {
      queues[i].restore(s.getQueues(i));
    }
    deviceFeaturesSel = s.getDeviceFeaturesSel();
    driverFeaturesSel = s.getDriverFeaturesSel();
    driverFeatures = s.getDriverFeatures();
    queueSel = s.getQueueSel();
    status = s.getStatus() & 0xff;
    interruptStatus = s.getInterruptStatus() & 3;
    configGeneration = s.getConfigGeneration();
    device.restoreFrom(s);
  }
}
