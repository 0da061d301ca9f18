package org.crtrmotion.ops.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.crtrmotion.actors.vm.VmActor;

/**
 * Prints the consoles of the VMs on every node of the demo as one stream per VM, each line prefixed
 * with the node that printed it, and checks from outside that the numbering runs on without gap or
 * duplicate. Lines from two nodes may arrive out of order around the switch (each node's watcher is
 * its own actor), so a line ahead of the next number waits until the missing ones arrive; whatever
 * still waits at {@link #finish} is a gap. Thread-safe: the nodes' watchers call {@link #accept}
 * from their own threads.
 */
final class ConsolePrinter {
  private final PrintWriter out;
  private final Object lock;
  private final Map<String, VmConsole> consoles = new HashMap<>();

  /**
   * @param lock what every writer to {@code out} synchronises on, so lines never interleave
   */
  ConsolePrinter(PrintWriter out, Object lock) {
    this.out = out;
    this.lock = lock;
  }

  /** What the demo saw of one VM's console. */
  record Seen(long printed, long duplicates, long gaps, long lastNumber) {
    boolean continuous() {
      return duplicates == 0 && gaps == 0;
    }
  }

  private static final class VmConsole {
    long next = 1;
    long duplicates;
    long gaps;
    long printed;
    final TreeMap<Long, String> waiting = new TreeMap<>();
  }

  void accept(String node, VmActor.ConsoleLine line) {
    synchronized (lock) {
      VmConsole c = consoles.computeIfAbsent(line.vmId(), id -> new VmConsole());
      if (line.number() < c.next || c.waiting.containsKey(line.number())) {
        c.duplicates++;
        c.printed++;
        print(node, line.vmId(), line.number(), line.text() + "   <-- DUPLICATE");
      } else {
        c.waiting.put(line.number(), format(node, line.vmId(), line.number(), line.text()));
        while (!c.waiting.isEmpty() && c.waiting.firstKey() == c.next) {
          out.println(c.waiting.pollFirstEntry().getValue());
          c.next++;
          c.printed++;
        }
        out.flush();
      }
      lock.notifyAll();
    }
  }

  /**
   * Waits until line {@code number} of {@code vmId} is printed; false if it was not within {@code
   * patience}.
   */
  boolean awaitLine(String vmId, long number, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (lock) {
      while (true) {
        VmConsole c = consoles.get(vmId);
        if (c != null && c.next > number) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Prints what still waits (after a gap) and says what was seen of {@code vmId}'s console. */
  Seen finish(String vmId) {
    synchronized (lock) {
      VmConsole c = consoles.computeIfAbsent(vmId, id -> new VmConsole());
      while (!c.waiting.isEmpty()) {
        var e = c.waiting.pollFirstEntry();
        c.gaps++;
        out.println(
            "   <-- GAP: lines " + c.next + " to " + (e.getKey() - 1) + " of " + vmId + " missing");
        out.println(e.getValue());
        c.next = e.getKey() + 1;
        c.printed++;
      }
      out.flush();
      return new Seen(c.printed, c.duplicates, c.gaps, c.next - 1);
    }
  }

  private void print(String node, String vmId, long number, String text) {
    out.println(format(node, vmId, number, text));
    out.flush();
  }

  private static String format(String node, String vmId, long number, String text) {
    return String.format("%s | %s %5d  %s", node, vmId, number, text);
  }
}
