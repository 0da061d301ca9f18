package org.crtrmotion.vm.time;

/** Where guest time comes from. */
public enum TimeMode {
  /** mtime is derived from the instruction count: the same program prints the same, every run. */
  VIRTUAL,
  /** mtime follows the host's monotonic clock at a 10 MHz timebase. */
  HOST
}
