package org.crtrmotion.simulations.evaluation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.crtrmotion.actors.vm.VmActor;

/**
 * The CPU time of a VM's guest thread ({@link VmActor#threadName}). On a shared machine a guest's
 * wall-clock instruction rate moves with everyone else's load; instructions per second of its own
 * thread's CPU time do not, so recording's cost per instruction shows through the noise.
 */
final class GuestCpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long threadId;

  private GuestCpuClock(long threadId) {
    this.threadId = threadId;
  }

  /** The clock of {@code vmId}'s guest thread in this JVM; a clock that reads -1 when not found. */
  static GuestCpuClock of(String vmId) {
    if (!THREADS.isThreadCpuTimeSupported()) {
      return new GuestCpuClock(-1);
    }
    if (!THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
    String name = VmActor.threadName(vmId);
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name) && t.isAlive()) {
        return new GuestCpuClock(t.getId());
      }
    }
    return new GuestCpuClock(-1);
  }

  /** CPU nanoseconds the thread has used, -1 when unknown (not found, or ended). */
  long cpuNanos() {
    return threadId < 0 ? -1 : THREADS.getThreadCpuTime(threadId);
  }
}
