package org.crtrmotion.actors.precopy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.vm.checkpoint.CheckpointFormatException;
import org.crtrmotion.vm.checkpoint.proto.MachineState;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.memory.GuestMemory;

/**
 * The target's copy of a VM migrating by pre-copy, as a replica {@link VmActor} ({@link
 * VmActor#createReplica}): its machine is built on its own guest thread from the state of round 0,
 * with all-zero memory that the rounds' pages fill while the machine does not run; {@link #finish}
 * loads the state at the freeze, and the replica, with nothing to replay, reports {@link
 * VmActor.CaughtUp} with its digest at once and waits to go live ({@link VmActor.GoLive}).
 *
 * <p>Memory is written from stream threads while the guest thread waits for the restore: the
 * futures between them order those writes before the guest thread's first read.
 */
public final class PrecopyTarget {
  private final CompletableFuture<MachineState> initialState = new CompletableFuture<>();
  private final BootPlan plan;
  private final GrowingFeed feed = new GrowingFeed(0, 1);
  private final CompletableFuture<Machine> built = new CompletableFuture<>();
  private final CompletableFuture<Machine> finished = new CompletableFuture<>();

  /**
   * @param initialState the CPU and device state of round 0 (its pages come as a round)
   * @param plan what a guest-requested reset reloads
   */
  public PrecopyTarget(MachineState initialState, BootPlan plan) {
    this(plan);
    begin(initialState);
  }

  /** A copy whose round 0 state comes later, through {@link #begin}. */
  public PrecopyTarget(BootPlan plan) {
    this.plan = plan;
  }

  /** Round 0's CPU and device state: the guest thread builds the machine from it. */
  public void begin(MachineState state) {
    if (!initialState.complete(state)) {
      throw new IllegalStateException("the copy has begun already");
    }
  }

  /** What {@link VmActor#createReplica} builds the target VM from. */
  public VmActor.Replica replica(ActorRef<VmActor.ReplicaEvent> listener) {
    return new VmActor.Replica(
        (console, devices) ->
            initialState
                .thenApply(
                    state -> {
                      try {
                        Machine m = Machine.restoreState(state, plan, console, devices);
                        built.complete(m);
                        return m;
                      } catch (CheckpointFormatException | RuntimeException e) {
                        built.completeExceptionally(e);
                        throw new IllegalStateException(
                            "cannot build the copy from round 0's state: " + e.getMessage(), e);
                      }
                    })
                .thenCompose(m -> finished),
        feed,
        listener);
  }

  /** The target's memory, once its guest thread built the machine (after {@code Start}). */
  public CompletionStage<GuestMemory> memory() {
    return built.thenApply(m -> m.board().ram);
  }

  /**
   * Loads the state at the freeze, after the last pages were applied: the guest thread goes on and
   * reports {@link VmActor.CaughtUp}.
   */
  public void finish(MachineState last, long instructions) {
    Machine m = built.getNow(null);
    if (m == null) {
      throw new IllegalStateException("the target machine is not built yet");
    }
    try {
      m.loadState(last);
    } catch (CheckpointFormatException e) {
      fail(e);
      return;
    }
    m.board().ram.collectDirty(); // copying is not guest activity
    feed.tryAppend(List.of(), instructions, true);
    finished.complete(m);
  }

  /** The copy is abandoned: a guest thread still waiting for it ends with the reason. */
  public void fail(Throwable cause) {
    initialState.completeExceptionally(cause);
    built.completeExceptionally(cause);
    finished.completeExceptionally(cause);
    feed.fail(cause);
  }
}
