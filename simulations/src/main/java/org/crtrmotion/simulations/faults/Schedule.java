package org.crtrmotion.simulations.faults;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.crtrmotion.actors.migration.AutoConverge;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.actors.migration.Strategy;

/**
 * Everything one run does, drawn from its seed: a plain value, printed by {@link #describe()}; the
 * same seed gives an equal schedule.
 *
 * @param faultPhaseMillis how long the fault sites stay on; then the run is healed
 */
public record Schedule(
    long seed,
    SimulationSize size,
    long faultPhaseMillis,
    List<VmPlan> vms,
    List<MigrationPlan> migrations,
    List<NodeSites> sites,
    List<FaultPlan> faults) {

  /** At most this much guest memory per node, and so per run: guests are small. */
  public static final long NODE_MEMORY_BYTES = 256L << 20;

  public Schedule {
    Objects.requireNonNull(size, "size");
    vms = List.copyOf(vms);
    migrations = List.copyOf(migrations);
    sites = List.copyOf(sites);
    faults = List.copyOf(faults);
  }

  /** The name of node {@code index}: n0, n1, ... */
  public static String nodeName(int index) {
    return "n" + index;
  }

  /** A guest started on node {@code node} before the fault phase. */
  public record VmPlan(int index, int node, String image, long ramBytes, String bootargs) {}

  /**
   * One migration of guest {@code vm}, started {@code startDelayMillis} after the fault phase
   * begins and after the guest's previous migration ended (so a guest's migrations chain), from
   * wherever the guest then lives to the node {@code hop} places further.
   */
  public record MigrationPlan(
      int index,
      int vm,
      int hop,
      long startDelayMillis,
      Strategy strategy,
      long downtimeLimitMillis,
      long maxBandwidthBytesPerSecond,
      int maxRounds,
      NonConvergencePolicy onNonConvergence,
      int convergenceWindowRounds,
      long deadlineMillis) {

    /** A max-bandwidth at or under this is a trickle. */
    public static final long TRICKLE_BYTES_PER_SECOND = 1L << 20;

    public MigrationParameters parameters() {
      return MigrationParameters.defaults(strategy)
          .withDowntimeLimit(Duration.ofMillis(downtimeLimitMillis))
          .withMaxBandwidth(maxBandwidthBytesPerSecond)
          .withMaxRounds(maxRounds)
          .withNonConvergencePolicy(onNonConvergence)
          .withConvergenceWindow(convergenceWindowRounds)
          .withAutoConverge(AutoConverge.QEMU_DEFAULTS)
          .withDeadline(Duration.ofMillis(deadlineMillis));
    }

    public boolean trickle() {
      return maxBandwidthBytesPerSecond > 0
          && maxBandwidthBytesPerSecond <= TRICKLE_BYTES_PER_SECOND;
    }
  }

  /**
   * The coordinator's fault sites switched on at node {@code node} during the fault phase (0 =
   * never for a round); they hit every migration through that node while on.
   */
  public record NodeSites(
      int node,
      int cutTraceAtRound,
      int partitionTraceAtRound,
      int corruptTraceAtRound,
      boolean slowReplay,
      boolean misreportDigest) {

    public boolean any() {
      return cutTraceAtRound > 0
          || partitionTraceAtRound > 0
          || corruptTraceAtRound > 0
          || slowReplay
          || misreportDigest;
    }
  }

  /**
   * A fault fired when migration {@code migration} first reaches {@code phase} (in TRANSFER, its
   * round {@code round}); {@code role} says which node a node fault hits.
   */
  public record FaultPlan(FaultKind kind, int migration, Role role, Phase phase, int round) {
    public String describe() {
      String at = phase == Phase.TRANSFER ? "TRANSFER round " + round : phase.name();
      return kind.label()
          + (kind == FaultKind.CANCEL ? "" : " of the " + role.name().toLowerCase())
          + " at "
          + at;
    }
  }

  /** The schedule, one line per item, as the CLI prints it. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "seed %d: %d nodes, %d vms, %d migrations, fault phase %d ms%n",
            seed, size.nodes(), size.vms(), size.migrations(), faultPhaseMillis));
    for (VmPlan v : vms) {
      b.append(
          String.format(
              "  vm%d on %s: %s %d MiB \"%s\"%n",
              v.index(), nodeName(v.node()), v.image(), v.ramBytes() >> 20, v.bootargs()));
    }
    for (NodeSites s : sites) {
      if (s.any()) {
        b.append(String.format("  sites on %s: %s%n", nodeName(s.node()), s));
      }
    }
    for (MigrationPlan m : migrations) {
      b.append(
          String.format(
              "  m%d: vm%d hop +%d after %d ms, %s downtime-limit %d ms, max-bandwidth %d B/s,"
                  + " max-rounds %d, %s/%d, deadline %d ms%n",
              m.index(),
              m.vm(),
              m.hop(),
              m.startDelayMillis(),
              m.strategy().cliName(),
              m.downtimeLimitMillis(),
              m.maxBandwidthBytesPerSecond(),
              m.maxRounds(),
              m.onNonConvergence(),
              m.convergenceWindowRounds(),
              m.deadlineMillis()));
      for (FaultPlan f : faults) {
        if (f.migration() == m.index()) {
          b.append("      ").append(f.describe()).append(System.lineSeparator());
        }
      }
    }
    return b.toString();
  }
}
