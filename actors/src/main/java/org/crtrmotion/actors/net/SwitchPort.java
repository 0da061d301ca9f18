package org.crtrmotion.actors.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.vm.net.FrameQueue;
import org.crtrmotion.vm.net.NetBackend;

/**
 * A VM NIC's port on this node's {@link VirtualSwitch}: the machine's backend. What the guest sends
 * goes to the switch; what the switch delivers waits in a bounded queue for the guest.
 *
 * <p>While its VM is frozen for a migration the port <em>holds</em>: frames not yet taken by the
 * guest, and those that arrive, go to a bounded hold (counted, and counted again when dropped over
 * the bound) instead of the queue. On an abort the hold goes back into the queue in order; on the
 * commit the switch takes it and hands it to the target node's switch.
 */
public final class SwitchPort implements NetBackend, LocalPort {
  /** Frames a frozen VM's port holds at most; more are dropped and counted. */
  public static final int HOLD_CAPACITY = 1024;

  private final long mac;
  private final ActorRef<VirtualSwitch.Command> sw;
  private final Consumer<SwitchPort> onClose;
  private final FrameQueue inbound = new FrameQueue(FrameQueue.DEFAULT_CAPACITY);
  private final ArrayDeque<byte[]> held = new ArrayDeque<>(); // guarded by this
  private volatile boolean holding;
  // A migration's copy: the source's held frames come first, whatever reaches this port before
  // them (a gateway that already re-learned the MAC) waits behind them.
  private volatile boolean awaitingHandOver;
  private final ConcurrentLinkedQueue<byte[]> handedOver = new ConcurrentLinkedQueue<>();
  private volatile Runnable hook = () -> {};
  private volatile byte[] lastIp = new byte[4]; // the guest's IPv4 source address, seen sending
  private long heldFrames; // guarded by this
  private long droppedOverHold; // guarded by this

  SwitchPort(
      byte[] mac,
      ActorRef<VirtualSwitch.Command> sw,
      Consumer<SwitchPort> onClose,
      boolean awaitingHandOver) {
    this.mac = EthernetFrames.mac(mac);
    this.sw = sw;
    this.onClose = onClose;
    this.awaitingHandOver = awaitingHandOver;
  }

  @Override
  public long mac() {
    return mac;
  }

  /** The IPv4 address the guest last sent from (0.0.0.0 before it sent any). */
  byte[] lastIp() {
    return lastIp.clone();
  }

  @Override
  public void send(byte[] frame) {
    if (!EthernetFrames.wellFormed(frame)) {
      return; // a runt: no switch would forward it
    }
    byte[] ip = EthernetFrames.senderIp(frame);
    if (ip != null) {
      lastIp = ip;
    }
    sw.tell(new VirtualSwitch.FromPort(mac, frame.clone()));
  }

  /**
   * Under the port's lock, so that a hold never drains the queue while the guest takes from it: the
   * guest could take a newer frame than the one the hold took, and answer out of order.
   */
  @Override
  public synchronized byte[] poll() {
    if (holding || awaitingHandOver) {
      return null;
    }
    byte[] f = handedOver.poll();
    return f != null ? f : inbound.poll();
  }

  @Override
  public void onArrival(Runnable hook) {
    this.hook = hook;
    inbound.onArrival(hook);
  }

  /** The source's held frames arrived: the guest gets them first, then what came meanwhile. */
  synchronized void handOverArrived(List<byte[]> frames) {
    if (holding) {
      frames.forEach(this::deliver); // frozen again already: they join the hold, in order
    } else {
      handedOver.addAll(frames);
    }
    awaitingHandOver = false;
    hook.run();
  }

  @Override
  public synchronized void deliver(byte[] frame) {
    if (!holding) {
      inbound.offer(frame);
    } else if (held.size() < HOLD_CAPACITY) {
      held.add(frame);
      heldFrames++;
    } else {
      droppedOverHold++;
    }
  }

  /** The VM freezes: what the guest has not taken yet, and what comes, is held. */
  public synchronized void hold() {
    holding = true;
    for (byte[] f = handedOver.poll(); f != null; f = handedOver.poll()) {
      deliver(f);
    }
    for (byte[] f = inbound.poll(); f != null; f = inbound.poll()) {
      deliver(f);
    }
  }

  /** The migration aborted: the held frames go to the guest, first come first. */
  public synchronized void release() {
    holding = false;
    for (byte[] f = held.poll(); f != null; f = held.poll()) {
      inbound.offer(f);
    }
  }

  /** The migration committed: the held frames, for the target; the port holds on. */
  synchronized List<byte[]> takeHeld() {
    List<byte[]> out = new ArrayList<>(held);
    held.clear();
    return out;
  }

  /** Frames held while frozen, and dropped over the bound, since the port was made. */
  public synchronized NetworkHold holdCounts() {
    return new NetworkHold(heldFrames, droppedOverHold);
  }

  /** Frames dropped because the guest's queue was full. */
  public long dropped() {
    return inbound.dropped();
  }

  @Override
  public void close() {
    sw.tell(new VirtualSwitch.Detach(this));
    onClose.accept(this);
  }
}
