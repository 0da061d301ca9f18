package org.crtrmotion.simulations.qemu;

/**
 * What one migration by QEMU's own pre-copy reported and what was observed around it. Times are
 * milliseconds, sizes bytes; QEMU's figures are named as {@code query-migrate} names them.
 *
 * @param outcome whether it completed or was cancelled for not converging in time
 * @param qemuVersion the source QEMU's version, e.g. {@code 7.2.22}
 * @param totalTimeMillis QEMU's {@code total-time}: migrate command to the source's completion
 * @param downtimeMillis QEMU's {@code downtime}, measured by the source: from its stop until it had
 *     written the last byte into its socket (data still queued on the link is not in it)
 * @param setupTimeMillis QEMU's {@code setup-time}
 * @param observedDowntimeMillis source stopped (its {@code STOP} event) to target running (its
 *     {@code RESUME} event), both by QEMU's own host-clock timestamps; -1 if it did not complete.
 *     This includes draining the last pass through the capped link, which QEMU's figure does not.
 * @param observedTotalTimeMillis migrate command sent to target running; -1 if it did not complete
 * @param transferredBytes QEMU's {@code ram.transferred}
 * @param linkBytes bytes that crossed the capped link towards the target (the whole stream: RAM,
 *     device state and protocol)
 * @param ram QEMU's RAM statistics
 * @param target what the target did after the switch
 * @param sourceConsole everything the guest printed on the source
 * @param targetConsole everything the guest printed on the target
 */
public record QemuMigrationResult(
    Outcome outcome,
    String qemuVersion,
    long totalTimeMillis,
    long downtimeMillis,
    long setupTimeMillis,
    long observedDowntimeMillis,
    long observedTotalTimeMillis,
    long transferredBytes,
    long linkBytes,
    RamStats ram,
    TargetProgress target,
    String sourceConsole,
    String targetConsole) {

  /** How a migration ended. */
  public enum Outcome {
    /** QEMU completed the migration and the target resumed. */
    COMPLETED,
    /**
     * Pre-copy had not converged within the run's timeout and was cancelled; the source runs on.
     */
    CANCELLED_NOT_CONVERGED
  }

  /**
   * QEMU's RAM statistics from {@code query-migrate}.
   *
   * @param totalBytes guest RAM as QEMU counts it ({@code ram.total})
   * @param dirtySyncCount {@code dirty-sync-count}: dirty-bitmap syncs, one per pre-copy round (the
   *     first one included) plus the final one
   * @param normalPages pages sent with their contents ({@code normal})
   * @param normalBytes {@code normal-bytes}
   * @param duplicatePages zero pages sent as a marker ({@code duplicate})
   * @param precopyBytes {@code precopy-bytes}: sent while the guest ran
   * @param downtimeBytes {@code downtime-bytes}: sent while it was stopped
   * @param mbps QEMU's own throughput estimate in Mbit/s
   */
  public record RamStats(
      long totalBytes,
      long dirtySyncCount,
      long normalPages,
      long normalBytes,
      long duplicatePages,
      long precopyBytes,
      long downtimeBytes,
      double mbps) {}

  /**
   * Whether the guest ran on on the target.
   *
   * @param running the target QEMU reported itself running after the switch
   * @param continued the guest's numbered lines continued on the target's console, with no gap or
   *     repeat across the switch
   * @param lastSourceTick the last number the source printed, -1 if none
   * @param firstTargetTick the first number the target printed, -1 if none
   * @param diagnosis why it did not continue, with the target hart's state; empty if it did
   */
  public record TargetProgress(
      boolean running,
      boolean continued,
      long lastSourceTick,
      long firstTargetTick,
      String diagnosis) {}
}
