package org.crtrmotion.actors.devices;

import java.util.List;

/**
 * The devices of a VM in slot order (QEMU's: the first in the highest virtio-mmio slot): source and
 * target build the same board from the same list.
 */
public record VmDevices(List<DeviceSpec> list) {
  public VmDevices {
    list = List.copyOf(list);
  }

  public static VmDevices none() {
    return new VmDevices(List.of());
  }

  public static VmDevices of(DeviceSpec... devices) {
    return new VmDevices(List.of(devices));
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<DeviceSpec.Nic> nics() {
    return list.stream()
        .filter(DeviceSpec.Nic.class::isInstance)
        .map(DeviceSpec.Nic.class::cast)
        .toList();
  }
}
