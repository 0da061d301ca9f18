package org.crtrmotion.ops.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A UDP client for netkv.elf: sends requests at a fixed rate for a fixed count, checks every reply
 * and measures latencies and the longest gap without replies. Host time is read through an
 * injectable nanosecond clock.
 */
public final class LoadClient {
  private final InetSocketAddress target;
  private final int keys;
  private final LongSupplier nanos;

  private long[] sentAt; // per sequence, nanos
  private long[] answeredAt; // per sequence, nanos of the first correct reply
  private boolean[] answered; // per sequence: a correct reply came
  private int sentCount; // requests sent so far
  private long duplicated;
  private long wrong;
  private String firstProblem;
  private final Map<Long, byte[]> firstReplies = new TreeMap<>();
  private final Object lock = new Object();

  public LoadClient(InetSocketAddress target, int keys, LongSupplier nanos) {
    if (keys < 1) {
      throw new IllegalArgumentException("keys must be at least 1");
    }
    this.target = target;
    this.keys = keys;
    this.nanos = nanos;
  }

  /**
   * Sends {@code count} requests, one every {@code 1e9 / ratePerSecond} ns, then waits up to {@code
   * graceMillis} for the missing replies.
   */
  public LoadReport run(int count, double ratePerSecond, long graceMillis)
      throws IOException, InterruptedException {
    if (count < 1 || !(ratePerSecond > 0)) {
      throw new IllegalArgumentException("count and rate must be positive");
    }
    sentAt = new long[count];
    answeredAt = new long[count];
    answered = new boolean[count];
    sentCount = 0;
    CountDownLatch all = new CountDownLatch(count);
    try (DatagramChannel ch = DatagramChannel.open()) {
      // Replies that arrive while this JVM stalls (GC, a loaded host) wait in the kernel, not lost.
      ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
      // Any local address: the route to the target picks it (binding the target's own address
      // worked only for a target on loopback, not for a guest on a TAP interface).
      ch.bind(null);
      Thread receiver = new Thread(() -> receive(ch, all), "load-receiver");
      receiver.setDaemon(true);
      receiver.start();
      long start = nanos.getAsLong();
      double interval = 1e9 / ratePerSecond;
      for (int s = 0; s < count; s++) {
        long due = start + (long) (s * interval);
        long wait;
        while ((wait = due - nanos.getAsLong()) > 0) {
          LockSupport.parkNanos(wait); // pacing the load, not synchronising with anything
        }
        synchronized (lock) {
          sentAt[s] = nanos.getAsLong();
          sentCount = s + 1;
        }
        ch.send(ByteBuffer.wrap(KvMessages.request(s, keys)), target);
      }
      all.await(graceMillis, TimeUnit.MILLISECONDS);
    }
    return report();
  }

  private void receive(DatagramChannel ch, CountDownLatch all) {
    ByteBuffer buf = ByteBuffer.allocate(2048);
    while (ch.isOpen()) {
      try {
        buf.clear();
        ch.receive(buf);
        long at = nanos.getAsLong();
        onReply(
            KvMessages.parse(buf.array(), buf.position()),
            Arrays.copyOf(buf.array(), buf.position()),
            at,
            all);
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        noteWrong("receive failed: " + e.getMessage());
      }
    }
  }

  private void onReply(KvMessages.Reply r, byte[] raw, long at, CountDownLatch all) {
    synchronized (lock) {
      if (r == null || r.sequence() < 0 || r.sequence() >= sentCount) {
        noteWrong("a reply that answers no request sent (" + raw.length + " bytes)");
        return;
      }
      int s = (int) r.sequence();
      if (answered[s]) {
        duplicated++;
        return;
      }
      String problem = KvMessages.check(r, keys);
      if (problem != null) {
        noteWrong(problem);
        return;
      }
      answeredAt[s] = at;
      answered[s] = true;
      firstReplies.put((long) s, raw);
      all.countDown();
    }
  }

  private void noteWrong(String problem) {
    synchronized (lock) {
      wrong++;
      if (firstProblem == null) {
        firstProblem = problem;
      }
    }
  }

  /** The first correct reply to each request, by sequence: for comparing two servers. */
  public Map<Long, byte[]> replies() {
    synchronized (lock) {
      return new TreeMap<>(firstReplies);
    }
  }

  private LoadReport report() {
    synchronized (lock) {
      int n = sentAt.length;
      long[] latencies = new long[n];
      long[] arrivals = new long[n];
      int count = 0;
      for (int s = 0; s < n; s++) {
        if (answered[s]) {
          latencies[count] = answeredAt[s] - sentAt[s];
          arrivals[count] = answeredAt[s];
          count++;
        }
      }
      long[] lat = Arrays.copyOf(latencies, count);
      long[] arr = Arrays.copyOf(arrivals, count);
      Arrays.sort(lat);
      Arrays.sort(arr);
      long gap = 0;
      long previous = sentAt[0];
      for (long a : arr) {
        gap = Math.max(gap, a - previous);
        previous = a;
      }
      return new LoadReport(
          n,
          count,
          n - count,
          duplicated,
          wrong,
          percentile(lat, 0.50),
          percentile(lat, 0.90),
          percentile(lat, 0.99),
          lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6,
          gap / 1e6,
          firstProblem);
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
