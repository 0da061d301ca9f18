package org.crtrmotion.ops.cli;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used (every thread, user and system), for figures that a host busy with
 * other work disturbs less than wall time: a transfer's CPU per byte does not grow when another
 * process takes the cores, its duration does.
 */
final class ProcessCpu {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ProcessCpu() {}

  static long nanos() {
    return OS.getProcessCpuTime();
  }
}
