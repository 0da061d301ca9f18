package org.crtrmotion.actors.devices;

import java.util.regex.Pattern;

/**
 * One device a VM is built with, as data that travels with the VM (its spec, {@code StartVm}, a
 * migration's {@code Prepare}); the live half (file handles, switch ports) is opened on each node
 * by {@link NodeDevices}.
 */
public sealed interface DeviceSpec permits DeviceSpec.Disk, DeviceSpec.Nic {

  /**
   * A virtio-blk disk over a base image that every node holds read-only at the same path (shared
   * storage); the guest's writes go to a copy-on-write overlay that is VM state.
   *
   * @param path the base image's path on every node
   * @param sha256 the base's identity, 64 lowercase hex digits; empty only in a request, which the
   *     starting node fills in from the file it opens
   */
  record Disk(String path, String sha256) implements DeviceSpec {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Disk {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("a disk needs the path of its base image");
      }
      sha256 = sha256 == null ? "" : sha256;
      if (!sha256.isEmpty() && !SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException(
            "disk " + path + ": '" + sha256 + "' is not a SHA-256 (64 lowercase hex digits)");
      }
    }

    /** A disk whose identity the starting node takes from the file. */
    public static Disk at(String path) {
      return new Disk(path, "");
    }
  }

  /**
   * A virtio-net NIC: a port of the cluster network {@code network}, identified by its MAC.
   *
   * @param mac {@code 52:54:00:12:34:56}: six bytes, unicast
   */
  record Nic(String mac, String network) implements DeviceSpec {
    public Nic {
      mac = MacAddress.format(MacAddress.parse(mac));
      if (network == null || network.isBlank()) {
        throw new IllegalArgumentException("NIC " + mac + " needs the network it attaches to");
      }
    }
  }
}
