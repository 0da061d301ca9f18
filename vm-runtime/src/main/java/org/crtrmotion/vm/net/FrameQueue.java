package org.crtrmotion.vm.net;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames waiting for a guest: bounded, dropping (and counting) what does not fit as a full switch
 * port would, and calling the arrival hook so an idle guest wakes. Public for the backends that live
 * outside this package (the TAP backend in {@code native}).
 */
public final class FrameQueue {
  public static final int DEFAULT_CAPACITY = 1024;

  private final ArrayBlockingQueue<byte[]> frames;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Runnable hook = () -> {};

  public FrameQueue(int capacity) {
    frames = new ArrayBlockingQueue<>(capacity);
  }

  public void offer(byte[] frame) {
    if (frames.offer(frame)) {
      hook.run();
    } else {
      dropped.incrementAndGet();
    }
  }

  public byte[] poll() {
    return frames.poll();
  }

  public void onArrival(Runnable r) {
    hook = r;
    if (!frames.isEmpty()) {
      r.run();
    }
  }

  public long dropped() {
    return dropped.get();
  }
}
