package org.crtrmotion.actors.devices;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.crtrmotion.actors.net.NetworkHold;
import org.crtrmotion.vm.board.virtio.DiskImage;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.net.NetBackend;

/**
 * The device side of one node: checks a VM's devices can be built here (the base images exist with
 * the identity the VM carries, its networks are known) and opens them for a VM. Thread-safe: the
 * host agent and the migrations actor share it.
 */
public final class NodeDevices {

  /** A cluster network this node has a port on: hands out the NIC backends of VMs. */
  public interface Network {
    /**
     * A port for the NIC {@code mac} of VM {@code vmId}.
     *
     * @param standby a migration's copy: the port takes frames handed to it but the network does
     *     not send it the VM's traffic until it is activated
     */
    NetBackend attach(String vmId, byte[] mac, boolean standby);

    /** The VM froze for a migration: its port holds what comes for it. */
    void hold(byte[] mac);

    /** The migration aborted: the held frames go to the VM, which runs on here. */
    void release(byte[] mac);

    /** The migration committed: the held frames and the VM's traffic go to {@code targetNode}. */
    void handOver(byte[] mac, String targetNode);

    /** The VM's copy went live here: its port takes its traffic and announces its MAC. */
    void activate(byte[] mac);

    /** What the port of {@code mac} on this node held and dropped while frozen. */
    NetworkHold holdCounts(byte[] mac);
  }

  private final String node;
  private final ImageIdentity identity = new ImageIdentity();
  private final Map<String, Network> networks = new ConcurrentHashMap<>();

  public NodeDevices(String node) {
    this.node = node;
  }

  public String node() {
    return node;
  }

  public void addNetwork(String name, Network network) {
    networks.put(name, network);
  }

  /**
   * The devices with each disk's identity filled in from this node's file where the request left it
   * empty; throws IllegalArgumentException naming the device that cannot be built here.
   */
  public VmDevices identify(VmDevices devices) {
    List<DeviceSpec> out = new ArrayList<>();
    for (DeviceSpec d : devices.list()) {
      if (d instanceof DeviceSpec.Disk disk && disk.sha256().isEmpty()) {
        out.add(new DeviceSpec.Disk(disk.path(), sha256(disk.path())));
      } else {
        out.add(d);
      }
    }
    VmDevices identified = new VmDevices(out);
    String refusal = refusal(identified);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return identified;
  }

  /** Why this node cannot build these devices, or null when it can. */
  public String refusal(VmDevices devices) {
    for (DeviceSpec d : devices.list()) {
      try {
        if (d instanceof DeviceSpec.Disk disk) {
          String here = sha256(disk.path());
          if (!here.equals(disk.sha256())) {
            return String.format(
                "disk image %s on node %s has SHA-256 %s, the VM's base image has SHA-256 %s",
                disk.path(), node, here, disk.sha256());
          }
        } else if (d instanceof DeviceSpec.Nic nic && !networks.containsKey(nic.network())) {
          return String.format(
              "NIC %s: node %s has no network '%s' (it has %s)",
              nic.mac(), node, nic.network(), networks.keySet());
        }
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return null;
  }

  /**
   * Opens the devices of VM {@code vmId} here, in their order; throws IllegalArgumentException
   * naming what cannot be opened (nothing stays open then).
   */
  public AttachedDevices attach(String vmId, VmDevices devices, boolean standby) {
    String refusal = refusal(devices);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    List<VirtioAttachments.Attachment> list = new ArrayList<>();
    List<AutoCloseable> handles = new ArrayList<>();
    try {
      for (DeviceSpec d : devices.list()) {
        if (d instanceof DeviceSpec.Disk disk) {
          DiskImage image = DiskImage.open(Path.of(disk.path()));
          handles.add(image);
          list.add(new VirtioAttachments.Disk(image));
        } else if (d instanceof DeviceSpec.Nic nic) {
          byte[] mac = MacAddress.parse(nic.mac());
          NetBackend port = networks.get(nic.network()).attach(vmId, mac, standby);
          handles.add(port);
          list.add(new VirtioAttachments.Nic(mac, port));
        }
      }
      return new AttachedDevices(new VirtioAttachments(list), handles);
    } catch (IOException | RuntimeException e) {
      new AttachedDevices(VirtioAttachments.none(), handles).close();
      throw new IllegalArgumentException(
          "cannot open the devices of " + vmId + " on node " + node + ": " + e.getMessage(), e);
    }
  }

  /** Each NIC's port holds (the VM froze for a migration). */
  public void hold(VmDevices devices) {
    devices.nics().forEach(n -> network(n).hold(MacAddress.parse(n.mac())));
  }

  /** Each NIC's held frames go back to it (the migration aborted). */
  public void release(VmDevices devices) {
    devices.nics().forEach(n -> network(n).release(MacAddress.parse(n.mac())));
  }

  /** Each NIC's held frames and traffic go to {@code targetNode} (the migration committed). */
  public void handOver(VmDevices devices, String targetNode) {
    devices.nics().forEach(n -> network(n).handOver(MacAddress.parse(n.mac()), targetNode));
  }

  /** Each NIC's standby port here takes the VM's traffic (its copy went live here). */
  public void activate(VmDevices devices) {
    devices.nics().forEach(n -> network(n).activate(MacAddress.parse(n.mac())));
  }

  /** What the VM's ports here held and dropped while it was frozen. */
  public NetworkHold holdCounts(VmDevices devices) {
    NetworkHold sum = NetworkHold.NONE;
    for (DeviceSpec.Nic n : devices.nics()) {
      sum = sum.plus(network(n).holdCounts(MacAddress.parse(n.mac())));
    }
    return sum;
  }

  private Network network(DeviceSpec.Nic nic) {
    Network n = networks.get(nic.network());
    if (n == null) {
      throw new IllegalArgumentException(
          "node " + node + " has no network '" + nic.network() + "'");
    }
    return n;
  }

  private String sha256(String path) {
    try {
      return identity.sha256(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "disk image " + path + " is not on node " + node + " (no such file)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "disk image " + path + " cannot be read on node " + node + ": " + e.getMessage());
    }
  }
}
