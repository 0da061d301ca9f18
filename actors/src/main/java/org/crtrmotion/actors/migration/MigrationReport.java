package org.crtrmotion.actors.migration;

import java.util.List;
import java.util.Objects;
import org.crtrmotion.actors.net.NetworkHold;

/**
 * What one migration did, for every strategy, named as QEMU's {@code info migrate} names it where a
 * counterpart exists.
 *
 * @param reason why it aborted; empty when committed
 * @param totalTimeMillis from the request to the end (commit or abort)
 * @param setupTimeMillis from the request to the start of the transfer (Prepare done)
 * @param downtimeMillis from the source's pause to the target going live; 0 when the source was
 *     never paused
 * @param freezeInstruction the instruction count both copies stood at when compared; 0 when never
 *     frozen
 * @param maxThrottlePercent the highest vCPU throttle the source ran under (source slowdown)
 * @param networkHold frames for the VM held by its NIC ports from the freeze to the commit, and
 *     dropped over the bound (read at the commit point)
 */
public record MigrationReport(
    String migrationId,
    String vmId,
    String sourceNode,
    String targetNode,
    Strategy strategy,
    Outcome outcome,
    String reason,
    long totalTimeMillis,
    long setupTimeMillis,
    long downtimeMillis,
    BytesByKind bytesByKind,
    List<RoundReport> rounds,
    int maxThrottlePercent,
    long freezeInstruction,
    DigestCheck digestCheck,
    OutputContinuity outputContinuity,
    NetworkHold networkHold) {

  public MigrationReport {
    networkHold = networkHold == null ? NetworkHold.NONE : networkHold;
    Objects.requireNonNull(migrationId, "migrationId");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(bytesByKind, "bytesByKind");
    Objects.requireNonNull(digestCheck, "digestCheck");
    Objects.requireNonNull(outputContinuity, "outputContinuity");
    reason = reason == null ? "" : reason;
    rounds = List.copyOf(rounds);
    if (outcome == Outcome.ABORTED && reason.isEmpty()) {
      throw new IllegalArgumentException("an aborted migration must say why");
    }
    if (outcome == Outcome.COMMITTED && digestCheck != DigestCheck.MATCH) {
      throw new IllegalArgumentException(
          "a migration commits only on equal digests, not " + digestCheck);
    }
  }

  /** A report without network figures (a VM without NICs, the local engines). */
  public MigrationReport(
      String migrationId,
      String vmId,
      String sourceNode,
      String targetNode,
      Strategy strategy,
      Outcome outcome,
      String reason,
      long totalTimeMillis,
      long setupTimeMillis,
      long downtimeMillis,
      BytesByKind bytesByKind,
      List<RoundReport> rounds,
      int maxThrottlePercent,
      long freezeInstruction,
      DigestCheck digestCheck,
      OutputContinuity outputContinuity) {
    this(
        migrationId,
        vmId,
        sourceNode,
        targetNode,
        strategy,
        outcome,
        reason,
        totalTimeMillis,
        setupTimeMillis,
        downtimeMillis,
        bytesByKind,
        rounds,
        maxThrottlePercent,
        freezeInstruction,
        digestCheck,
        outputContinuity,
        NetworkHold.NONE);
  }

  public boolean digestMatch() {
    return digestCheck == DigestCheck.MATCH;
  }

  public long bytesTotal() {
    return bytesByKind.total();
  }

  /** The downtime predicted at the last round, or 0 without rounds. */
  public long expectedDowntimeMillis() {
    return rounds.isEmpty() ? 0 : rounds.get(rounds.size() - 1).expectedDowntimeMillis();
  }
}
