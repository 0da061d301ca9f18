package org.crtrmotion.simulations.faults;

/** Every kind of fault the simulator injects; the CLI's table counts each. */
public enum FaultKind {
  /** A node leaves the cluster as an operator stops it; its VMs end with it. */
  STOP_NODE("stop-node"),
  /** A node is lost without leaving: downed by the others, its system ended. */
  CRASH_NODE("crash-node"),
  /** The requester cancels the migration. */
  CANCEL("cancel"),
  /** Source site: the trace stream's connection cut at a round (it must resume). */
  CUT_TRACE("cut-trace"),
  /** Source site: the trace's control path partitioned and its connection cut at a round. */
  PARTITION_TRACE("partition-trace"),
  /** Source site: a trace frame corrupted on the link at a round. */
  CORRUPT_TRACE("corrupt-trace"),
  /** Target site: the replay never reports it caught up, as a replay slower than the source. */
  SLOW_REPLAY("slow-replay"),
  /** Target site: the target reports a wrong digest at the freeze point. */
  MISREPORT_DIGEST("misreport-digest"),
  /** The migration's max-bandwidth is a trickle (a few hundred KiB/s). */
  TRICKLE("trickle");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
