package org.crtrmotion.actors.vm;

/** Where a VM is in its life. */
public enum VmState {
  /** The actor exists; its guest has not been started. */
  CREATED,
  /** Started: the guest thread runs instructions. */
  RUNNING,
  /** Stopped between two runs; nothing retires until resumed. */
  PAUSED,
  /** The guest itself ended (powered off, halted, ...): see the detail. */
  ENDED,
  /** The guest could not be booted: see the detail. */
  FAILED,
  /** Stopped by request; the guest thread is gone. */
  STOPPED,
  /** A migration's target copy: replays the source's trace, suppressed, until it goes live. */
  REPLAYING
}
