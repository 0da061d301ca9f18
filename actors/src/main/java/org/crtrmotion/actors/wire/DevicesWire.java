package org.crtrmotion.actors.wire;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.actors.devices.DeviceSpec;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.wire.proto.DevicesProto;

/**
 * A VM's devices to and from {@code crtr/cluster/v1/devices.proto}, for every protocol using it.
 */
public final class DevicesWire {
  private DevicesWire() {}

  public static List<DevicesProto.Device> toWire(VmDevices devices) {
    List<DevicesProto.Device> out = new ArrayList<>();
    for (DeviceSpec d : devices.list()) {
      DevicesProto.Device.Builder b = DevicesProto.Device.newBuilder();
      if (d instanceof DeviceSpec.Disk disk) {
        b.setDisk(DevicesProto.Disk.newBuilder().setPath(disk.path()).setSha256(disk.sha256()));
      } else if (d instanceof DeviceSpec.Nic nic) {
        b.setNic(DevicesProto.Nic.newBuilder().setMac(nic.mac()).setNetwork(nic.network()));
      }
      out.add(b.build());
    }
    return out;
  }

  /** Throws IllegalArgumentException for a device of a kind this node does not know. */
  public static VmDevices fromWire(List<DevicesProto.Device> wire) {
    List<DeviceSpec> out = new ArrayList<>();
    for (DevicesProto.Device d : wire) {
      switch (d.getKindCase()) {
        case DISK -> out.add(new DeviceSpec.Disk(d.getDisk().getPath(), d.getDisk().getSha256()));
        case NIC -> out.add(new DeviceSpec.Nic(d.getNic().getMac(), d.getNic().getNetwork()));
        default -> throw new IllegalArgumentException("a device of no known kind: " + d);
      }
    }
    return new VmDevices(out);
  }
}
