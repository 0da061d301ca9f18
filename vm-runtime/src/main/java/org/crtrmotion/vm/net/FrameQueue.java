package org.crtrmotion.vm.net;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames waiting for a guest: bounded, dropping (and counting) what does not fit as a full switch
 * port would, and calling the arrival hook so an idle guest wakes.
 */
final class FrameQueue {
  static final int DEFAULT_CAPACITY = 1024;

  private final ArrayBlockingQueue<byte[]> frames;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Runnable hook = () -> {};

  FrameQueue(int capacity) {
    frames = new ArrayBlockingQueue<>(capacity);
  }

  void offer(byte[] frame) {
    if (frames.offer(frame)) {
      hook.run();
    } else {
      dropped.incrementAndGet();
    }
  }

  byte[] poll() {
    return frames.poll();
  }

  void onArrival(Runnable r) {
    hook = r;
    if (!frames.isEmpty()) {
      r.run();
    }
  }

  long dropped() {
    return dropped.get();
  }
}
