package org.crtrmotion.simulations.faults;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.actors.migration.Strategy;

/**
 * Draws a {@link Schedule} from a seed. Each part (guests, migrations, sites, faults) draws from
 * its own generator split off the seed's, so that changing how one part is drawn leaves the others
 * as they were. Which fault kinds a run uses at all is drawn per seed ("swarm" testing): a run with
 * few kinds reaches deeper into each.
 */
public final class ScheduleGenerator {
  private static final Phase[] MOMENTS = {
    Phase.PREPARE, Phase.TRANSFER, Phase.TRANSFER, Phase.FREEZE, Phase.CAUGHT_UP, Phase.COMMITTED
  };

  private ScheduleGenerator() {}

  public static Schedule generate(long seed, SimulationSize size) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom vmRandom = root.split();
    SplittableRandom migrationRandom = root.split();
    SplittableRandom swarmRandom = root.split();
    SplittableRandom siteRandom = root.split();
    SplittableRandom faultRandom = root.split();

    List<Schedule.VmPlan> vms = new ArrayList<>();
    for (int i = 0; i < size.vms(); i++) {
      vms.add(vm(i, vmRandom.nextInt(size.nodes()), vmRandom));
    }
    Set<FaultKind> enabled = EnumSet.noneOf(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      if (swarmRandom.nextInt(2) == 0) {
        enabled.add(kind);
      }
    }
    List<Schedule.MigrationPlan> migrations = new ArrayList<>();
    for (int i = 0; i < size.migrations(); i++) {
      migrations.add(
          migration(
              i,
              migrationRandom.nextInt(size.vms()),
              size.nodes(),
              enabled.contains(FaultKind.TRICKLE),
              migrationRandom));
    }
    List<Schedule.NodeSites> sites = new ArrayList<>();
    for (int n = 0; n < size.nodes(); n++) {
      sites.add(sites(n, enabled, siteRandom));
    }
    List<Schedule.FaultPlan> faults = new ArrayList<>();
    List<FaultKind> events =
        enabled.stream()
            .filter(
                k -> k == FaultKind.STOP_NODE || k == FaultKind.CRASH_NODE || k == FaultKind.CANCEL)
            .toList();
    for (int m = 0; m < size.migrations() && !events.isEmpty(); m++) {
      int count = faultRandom.nextInt(2);
      for (int f = 0; f < count; f++) {
        FaultKind kind = events.get(faultRandom.nextInt(events.size()));
        Phase phase = MOMENTS[faultRandom.nextInt(MOMENTS.length)];
        Role role = Role.values()[faultRandom.nextInt(Role.values().length)];
        faults.add(
            new Schedule.FaultPlan(
                kind, m, role, phase, phase == Phase.TRANSFER ? 1 + faultRandom.nextInt(3) : 0));
      }
    }
    long faultPhaseMillis = 2_000 + root.nextLong(4_000);
    return new Schedule(seed, size, faultPhaseMillis, vms, migrations, sites, faults);
  }

  private static Schedule.VmPlan vm(int index, int node, SplittableRandom r) {
    if (r.nextBoolean()) {
      return new Schedule.VmPlan(
          index,
          node,
          "idle.elf",
          16L << 20,
          "period_us=" + (1_000 + r.nextInt(4_000)) + " ticks=0");
    }
    return new Schedule.VmPlan(
        index,
        node,
        "memory.elf",
        16L << 20,
        "wss=" + (64 << r.nextInt(4)) + "K rate=16 period_us=1000 ticks=0 report=10");
  }

  private static Schedule.MigrationPlan migration(
      int index, int vm, int nodes, boolean trickle, SplittableRandom r) {
    Strategy strategy = r.nextBoolean() ? Strategy.CRTR : Strategy.PRECOPY;
    // Mostly a limit that the first round meets (the migration freezes at once), sometimes one
    // that it must reach over rounds, or miss; always under the deadline (3 s at least).
    long downtimeLimit =
        switch (r.nextInt(4)) {
          case 0 -> 20 + r.nextInt(280);
          default -> 1_000 + r.nextInt(1_500);
        };
    long bandwidth =
        switch (r.nextInt(trickle ? 3 : 2)) {
          case 0 -> 0;
          case 1 -> (16L + r.nextInt(112)) << 20;
          default -> (128L + r.nextInt(768)) << 10;
        };
    NonConvergencePolicy policy =
        r.nextBoolean() ? NonConvergencePolicy.ABORT : NonConvergencePolicy.THROTTLE;
    return new Schedule.MigrationPlan(
        index,
        vm,
        1 + r.nextInt(nodes - 1),
        r.nextLong(1_500),
        strategy,
        downtimeLimit,
        bandwidth,
        2 + r.nextInt(8),
        policy,
        2 + r.nextInt(3),
        3_000 + r.nextLong(4_000));
  }

  private static Schedule.NodeSites sites(int node, Set<FaultKind> enabled, SplittableRandom r) {
    return new Schedule.NodeSites(
        node,
        roundIf(enabled.contains(FaultKind.CUT_TRACE), 3, r),
        roundIf(enabled.contains(FaultKind.PARTITION_TRACE), 6, r),
        roundIf(enabled.contains(FaultKind.CORRUPT_TRACE), 4, r),
        enabled.contains(FaultKind.SLOW_REPLAY) && r.nextInt(5) == 0,
        enabled.contains(FaultKind.MISREPORT_DIGEST) && r.nextInt(5) == 0);
  }

  /** A round in 1..3 with probability 1/{@code oneIn} when the kind is on, else 0 (never). */
  private static int roundIf(boolean on, int oneIn, SplittableRandom r) {
    boolean draw = r.nextInt(oneIn) == 0; // drawn either way: the stream does not depend on on
    int round = 1 + r.nextInt(3);
    return on && draw ? round : 0;
  }
}
