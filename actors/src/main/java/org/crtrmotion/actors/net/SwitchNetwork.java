package org.crtrmotion.actors.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.vm.net.NetBackend;

/**
 * A cluster network as this node's devices see it: NIC ports on this node's {@link VirtualSwitch},
 * and the migration steps of a VM's ports (hold, release, hand over, activate).
 */
public final class SwitchNetwork implements NodeDevices.Network {
  private final ActorRef<VirtualSwitch.Command> sw;
  private final Map<Long, SwitchPort> ports = new ConcurrentHashMap<>();

  public SwitchNetwork(ActorRef<VirtualSwitch.Command> sw) {
    this.sw = sw;
  }

  public ActorRef<VirtualSwitch.Command> switchRef() {
    return sw;
  }

  @Override
  public NetBackend attach(String vmId, byte[] mac, boolean standby) {
    SwitchPort port = new SwitchPort(mac, sw, p -> ports.remove(p.mac(), p), standby);
    ports.put(port.mac(), port);
    sw.tell(new VirtualSwitch.Attach(port, standby));
    return port;
  }

  @Override
  public void hold(byte[] mac) {
    SwitchPort p = ports.get(EthernetFrames.mac(mac));
    if (p != null) {
      p.hold();
    }
  }

  @Override
  public void release(byte[] mac) {
    SwitchPort p = ports.get(EthernetFrames.mac(mac));
    if (p != null) {
      p.release();
    }
  }

  @Override
  public void handOver(byte[] mac, String targetNode) {
    sw.tell(new VirtualSwitch.HandOver(EthernetFrames.mac(mac), targetNode));
  }

  @Override
  public void activate(byte[] mac) {
    sw.tell(new VirtualSwitch.Activate(EthernetFrames.mac(mac)));
  }

  @Override
  public NetworkHold holdCounts(byte[] mac) {
    SwitchPort p = ports.get(EthernetFrames.mac(mac));
    return p == null ? NetworkHold.NONE : p.holdCounts();
  }
}
