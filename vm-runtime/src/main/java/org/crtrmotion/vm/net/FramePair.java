package org.crtrmotion.vm.net;

/**
 * Two NIC backends joined by a virtual cable: what one end's guest sends, the other end's guest
 * receives. Used to connect two machines, or a machine with a test acting as the other host.
 */
public final class FramePair {
  private final End a;
  private final End b;

  private FramePair(int capacity) {
    a = new End(capacity);
    b = new End(capacity);
    a.peer = b;
    b.peer = a;
  }

  public static FramePair create() {
    return new FramePair(FrameQueue.DEFAULT_CAPACITY);
  }

  public End a() {
    return a;
  }

  public End b() {
    return b;
  }

  /** One end of the cable. */
  public static final class End implements NetBackend {
    private final FrameQueue inbound;
    private End peer;

    private End(int capacity) {
      inbound = new FrameQueue(capacity);
    }

    @Override
    public void send(byte[] frame) {
      peer.inbound.offer(frame.clone());
    }

    @Override
    public byte[] poll() {
      return inbound.poll();
    }

    @Override
    public void onArrival(Runnable hook) {
      inbound.onArrival(hook);
    }

    /** Frames dropped at this end because its queue was full. */
    public long dropped() {
      return inbound.dropped();
    }
  }
}
