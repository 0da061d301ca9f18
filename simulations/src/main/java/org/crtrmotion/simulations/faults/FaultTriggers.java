package org.crtrmotion.simulations.faults;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.crtrmotion.actors.migration.Phase;

/**
 * Fires each planned fault the first time its migration reaches the planned moment, as the
 * migration's progress reports it. A migration that aborts before the moment leaves its faults
 * unfired ({@link #neverReached}).
 */
final class FaultTriggers {
  /** A fault whose moment came, with the nodes and id its migration turned out to have. */
  record Fired(Schedule.FaultPlan plan, String source, String target, String migrationId) {}

  private final List<Schedule.FaultPlan> plans;
  private final boolean[] done;
  private final Consumer<Fired> fire;
  private final Map<Integer, String> sources = new HashMap<>();
  private final Map<Integer, String> targets = new HashMap<>();
  private final Map<Integer, String> ids = new HashMap<>();
  private int neverReached;

  FaultTriggers(List<Schedule.FaultPlan> plans, Consumer<Fired> fire) {
    this.plans = List.copyOf(plans);
    this.done = new boolean[plans.size()];
    this.fire = fire;
  }

  synchronized void begin(int migration, String source, String target) {
    sources.put(migration, source);
    targets.put(migration, target);
  }

  /** The migration has its id: its PREPARE faults fire. */
  synchronized void started(int migration, String migrationId) {
    ids.put(migration, migrationId);
    reach(migration, Phase.PREPARE, 0);
  }

  synchronized void progress(int migration, Phase phase, int round) {
    if (phase != Phase.ABORTED) {
      reach(migration, phase, round);
    }
  }

  /** The migration ended: after a commit every fault left fires; after an abort none will. */
  synchronized void ended(int migration, boolean committed) {
    if (committed) {
      reach(migration, Phase.COMMITTED, Integer.MAX_VALUE);
    }
    for (int i = 0; i < plans.size(); i++) {
      if (!done[i] && plans.get(i).migration() == migration) {
        done[i] = true;
        neverReached++;
      }
    }
  }

  synchronized int neverReached() {
    return neverReached;
  }

  private void reach(int migration, Phase phase, int round) {
    for (int i = 0; i < plans.size(); i++) {
      Schedule.FaultPlan p = plans.get(i);
      if (done[i] || p.migration() != migration || !reached(p, phase, round)) {
        continue;
      }
      done[i] = true;
      fire.accept(new Fired(p, sources.get(migration), targets.get(migration), ids.get(migration)));
    }
  }

  static boolean reached(Schedule.FaultPlan p, Phase phase, int round) {
    if (phase.ordinal() != p.phase().ordinal()) {
      return phase.ordinal() > p.phase().ordinal();
    }
    return p.phase() != Phase.TRANSFER || round >= p.round();
  }
}
