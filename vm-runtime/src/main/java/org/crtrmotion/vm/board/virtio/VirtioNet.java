package org.crtrmotion.vm.board.virtio;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.input.PacketPort;
import org.crtrmotion.vm.net.NetBackend;
import org.crtrmotion.vm.state.StateHasher;

/**
 * A virtio network device (§5.1): receive queue 0, transmit queue 1, the MAC in config space
 * (VIRTIO_NET_F_MAC, the only feature offered: no checksum offload, no GSO, no mergeable buffers).
 * Each buffer starts with the 12-byte virtio_net_hdr of VIRTIO_F_VERSION_1. Transmitted frames go
 * to the machine's {@link PacketOutput} when the driver notifies; received frames come only through
 * the input boundary ({@link PacketPort}), which records them, into the next posted buffer.
 */
public final class VirtioNet implements VirtioDevice, PacketPort {
  public static final int DEVICE_ID = 1;
  static final long F_MAC = 1L << 5;
  static final int HEADER = 12;
  static final int RX = 0;
  static final int TX = 1;
  private static final int QUEUE_SIZE = 256;

  private final byte[] mac;
  private final NetBackend backend;
  private final PacketOutput output;
  private VirtioMmio transport;
  private long droppedTooLarge; // frames longer than the buffer posted; host-side count, not state

  public VirtioNet(byte[] mac, NetBackend backend, PacketOutput output) {
    if (mac.length != 6 || (mac[0] & 1) != 0) {
      throw new IllegalArgumentException("a NIC needs a 6-byte unicast MAC address");
    }
    this.mac = mac.clone();
    this.backend = backend;
    this.output = output;
  }

  @Override
  public void attached(VirtioMmio transport) {
    this.transport = transport;
  }

  public byte[] mac() {
    return mac.clone();
  }

  public long droppedTooLarge() {
    return droppedTooLarge;
  }

  @Override
  public int deviceId() {
    return DEVICE_ID;
  }

  @Override
  public long features() {
    return F_MAC;
  }

  @Override
  public int queueCount() {
    return 2;
  }

  @Override
  public int queueSizeMax() {
    return QUEUE_SIZE;
  }

  /** struct virtio_net_config: mac[6], then status (zero: VIRTIO_NET_F_STATUS is not offered). */
  @Override
  public long readConfig(int offset, int width) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      int at = offset + i;
      v |= (at < 6 ? mac[at] & 0xffL : 0) << (8 * i);
    }
    return v;
  }

  @Override
  public void notify(int queue, VirtioMmio transport) throws Virtqueue.DriverError {
    if (queue != TX) {
      return; // posted receive buffers are used when a frame arrives
    }
    Virtqueue q = transport.queue(TX);
    boolean any = false;
    while (q.hasAvailable()) {
      Virtqueue.Chain chain = q.pop();
      byte[] bytes = q.readable(chain);
      if (bytes.length < HEADER) {
        throw new Virtqueue.DriverError(
            "a transmit buffer of " + bytes.length + " bytes has no virtio_net_hdr");
      }
      output.transmit(transport.slot(), Arrays.copyOfRange(bytes, HEADER, bytes.length));
      q.push(chain.head(), 0);
      any = true;
    }
    if (any) {
      transport.usedBuffers(TX);
    }
  }

  @Override
  public boolean canReceive() {
    try {
      return transport.usable(RX) && transport.queue(RX).hasAvailable();
    } catch (Virtqueue.DriverError e) {
      transport.needsReset(e.getMessage());
      return false;
    }
  }

  @Override
  public void receive(byte[] frame) {
    Virtqueue q = transport.queue(RX);
    try {
      Virtqueue.Chain chain = q.pop();
      int length = HEADER + frame.length;
      if (chain.writableBytes() < length) {
        droppedTooLarge++;
        q.push(chain.head(), 0);
      } else {
        byte[] header = new byte[HEADER];
        header[10] = 1; // num_buffers
        q.fill(chain, 0, header, 0, HEADER);
        q.fill(chain, HEADER, frame, 0, frame.length);
        q.push(chain.head(), length);
      }
      transport.usedBuffers(RX);
    } catch (Virtqueue.DriverError e) {
      transport.needsReset(e.getMessage());
    }
  }

  @Override
  public byte[] pollHost() {
    return backend.poll();
  }

  @Override
  public void digestInto(StateHasher h) {
    h.section("net").putBytes(mac, 0, 6);
  }

  @Override
  public void saveInto(VirtioSlotState.Builder slot) {
    slot.setNet(
        org.crtrmotion.vm.checkpoint.proto.VirtioNetState.newBuilder()
            .setMac(ByteString.copyFrom(mac)));
  }

  @Override
  public void restoreFrom(VirtioSlotState slot) {
    if (!slot.hasNet() || !Arrays.equals(slot.getNet().getMac().toByteArray(), mac)) {
      throw new IllegalArgumentException(
          "virtio slot " + slot.getSlot() + " held a NIC with another MAC address");
    }
  }
}
