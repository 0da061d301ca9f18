package org.crtrmotion.vm.board.virtio;

import java.nio.charset.StandardCharsets;
import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.memory.LittleEndian;
import org.crtrmotion.vm.state.StateHasher;

/**
 * A virtio block device (§5.2) over a {@link DiskImage}: read, write, flush and get-id, each
 * completed when the driver notifies. Offers VIRTIO_BLK_F_BLK_SIZE and VIRTIO_BLK_F_FLUSH; one
 * request queue. Writes land in the disk's overlay, which is part of the VM state.
 */
public final class VirtioBlk implements VirtioDevice {
  public static final int DEVICE_ID = 2;
  static final long F_BLK_SIZE = 1L << 6;
  static final long F_FLUSH = 1L << 9;
  static final int T_IN = 0;
  static final int T_OUT = 1;
  static final int T_FLUSH = 4;
  static final int T_GET_ID = 8;
  static final int S_OK = 0;
  static final int S_IOERR = 1;
  static final int S_UNSUPP = 2;
  static final int ID_BYTES = 20;
  private static final int HEADER = 16;
  private static final int QUEUE_SIZE = 256;

  private final DiskImage disk;

  public VirtioBlk(DiskImage disk) {
    this.disk = disk;
  }

  public DiskImage disk() {
    return disk;
  }

  /** Overlay writes are stamped with the generations of the memory the transport serves. */
  @Override
  public void attached(VirtioMmio transport) {
    disk.followGenerations(transport.memory()::generation);
  }

  @Override
  public int deviceId() {
    return DEVICE_ID;
  }

  @Override
  public long features() {
    return F_BLK_SIZE | F_FLUSH;
  }

  @Override
  public int queueCount() {
    return 1;
  }

  @Override
  public int queueSizeMax() {
    return QUEUE_SIZE;
  }

  /** struct virtio_blk_config: capacity (u64 sectors) at 0, blk_size (u32) at 20; rest zero. */
  @Override
  public long readConfig(int offset, int width) {
    byte[] config = new byte[24];
    LittleEndian.putLong(config, 0, disk.bytes() / DiskImage.SECTOR);
    LittleEndian.putInt(config, 20, DiskImage.SECTOR);
    long v = 0;
    for (int i = 0; i < width; i++) {
      int at = offset + i;
      v |= (at < config.length ? config[at] & 0xffL : 0) << (8 * i);
    }
    return v;
  }

  @Override
  public void notify(int queue, VirtioMmio transport) throws Virtqueue.DriverError {
    Virtqueue q = transport.queue(0);
    boolean any = false;
    while (q.hasAvailable()) {
      Virtqueue.Chain chain = q.pop();
      q.push(chain.head(), serve(q, chain));
      any = true;
    }
    if (any) {
      transport.usedBuffers(0);
    }
  }

  /** Serves one request; returns the bytes written into the chain (data and status). */
  private int serve(Virtqueue q, Virtqueue.Chain chain) throws Virtqueue.DriverError {
    byte[] in = q.readable(chain);
    int writable = chain.writableBytes();
    if (in.length < HEADER || writable < 1) {
      throw new Virtqueue.DriverError(
          "a block request needs a 16-byte header and a status byte, this chain has "
              + in.length
              + " readable and "
              + writable
              + " writable bytes");
    }
    int type = LittleEndian.getInt(in, 0);
    long sector = LittleEndian.getLong(in, 8);
    int dataIn = writable - 1; // bytes for the driver before the status byte
    int status;
    int written = 0;
    switch (type) {
      case T_IN -> {
        status = inRange(sector, dataIn) ? S_OK : S_IOERR;
        if (status == S_OK) {
          byte[] data = new byte[dataIn];
          disk.read(sector * DiskImage.SECTOR, data, 0, dataIn);
          q.fill(chain, 0, data, 0, dataIn);
          written = dataIn;
        }
      }
      case T_OUT -> {
        int length = in.length - HEADER;
        status = inRange(sector, length) ? S_OK : S_IOERR;
        if (status == S_OK) {
          disk.write(sector * DiskImage.SECTOR, in, HEADER, length);
        }
      }
      case T_FLUSH -> status = S_OK; // the overlay is memory: nothing is ever pending
      case T_GET_ID -> {
        byte[] id = new byte[Math.min(ID_BYTES, dataIn)];
        byte[] text =
            String.format("crtr-%016x", disk.baseHash()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, id, 0, Math.min(text.length, id.length));
        q.fill(chain, 0, id, 0, id.length);
        written = id.length;
        status = S_OK;
      }
      default -> status = S_UNSUPP;
    }
    q.fill(chain, dataIn, new byte[] {(byte) status}, 0, 1);
    return written + 1;
  }

  private boolean inRange(long sector, int length) {
    return length % DiskImage.SECTOR == 0
        && sector >= 0
        && sector <= disk.bytes() / DiskImage.SECTOR
        && sector * DiskImage.SECTOR + length <= disk.bytes();
  }

  @Override
  public void digestInto(StateHasher h) {
    disk.digestInto(h);
  }

  @Override
  public void saveInto(VirtioSlotState.Builder slot) {
    slot.setBlk(disk.save());
  }

  /** In an incremental checkpoint, only the overlay blocks written since its base. */
  @Override
  public void saveInto(VirtioSlotState.Builder slot, int sinceGeneration) {
    slot.setBlk(disk.save(sinceGeneration));
  }

  @Override
  public void restoreFrom(VirtioSlotState slot) {
    if (!slot.hasBlk()) {
      throw new IllegalArgumentException("virtio slot " + slot.getSlot() + " has no disk state");
    }
    disk.restore(slot.getBlk());
  }
}
