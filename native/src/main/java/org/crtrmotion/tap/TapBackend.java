package org.crtrmotion.tap;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.crtrmotion.vm.net.FrameQueue;
import org.crtrmotion.vm.net.NetBackend;

/**
 * A NIC on a real Linux TAP interface: what the guest sends goes out of the interface into the
 * host's network stack, what the host sends into the interface waits (bounded) for the guest. A
 * reader thread moves frames from the device to the queue and calls the arrival hook; the machine
 * takes them through {@link #poll} on its own thread, where they become recorded PACKET inputs like
 * any backend's frames.
 */
public final class TapBackend implements NetBackend {
  private final TapDevice tap;
  private final FrameQueue toGuest;
  private final AtomicLong sendFailures = new AtomicLong();
  private final Thread reader;
  private volatile IOException readFailure;

  private TapBackend(TapDevice tap, int capacity) {
    this.tap = tap;
    this.toGuest = new FrameQueue(capacity);
    reader = new Thread(this::readLoop, "tap-" + tap.name());
    reader.setDaemon(true);
  }

  /** Opens the TAP interface {@code name} and starts reading from it. */
  public static TapBackend open(String name) throws IOException {
    TapBackend b = new TapBackend(TapDevice.open(name), FrameQueue.DEFAULT_CAPACITY);
    b.reader.start();
    return b;
  }

  /** The interface's name. */
  public String name() {
    return tap.name();
  }

  private void readLoop() {
    try {
      for (byte[] f = tap.read(); f != null; f = tap.read()) {
        toGuest.offer(f);
      }
    } catch (IOException e) {
      readFailure = e; // the interface went away: the guest's link is as good as unplugged
    }
  }

  @Override
  public void send(byte[] frame) {
    try {
      tap.write(frame);
    } catch (IOException e) {
      sendFailures.incrementAndGet(); // interface down, say: lost like on a wire
    }
  }

  @Override
  public byte[] poll() {
    return toGuest.poll();
  }

  @Override
  public void onArrival(Runnable hook) {
    toGuest.onArrival(hook);
  }

  /**
   * Frames lost: the guest's that the interface refused, and the host's that found the queue full.
   */
  public long dropped() {
    return sendFailures.get() + toGuest.dropped();
  }

  /** Why the reader stopped before the backend was closed, or null. */
  public IOException readFailure() {
    return readFailure;
  }

  @Override
  public void close() {
    tap.close();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
