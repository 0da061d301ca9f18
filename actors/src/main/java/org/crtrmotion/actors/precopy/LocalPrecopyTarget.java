package org.crtrmotion.actors.precopy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;
import org.crtrmotion.streams.PageBatches;
import org.crtrmotion.vm.checkpoint.proto.MachineState;

/**
 * A pre-copy target in the same actor system as the engine: a replica {@link VmActor} built by
 * {@link PrecopyTarget}, the rounds applied by {@link PageBatches#applyTo}. What crosses nodes goes
 * through the migration framework instead; this is its in-process counterpart (tests, and a
 * migration between two VMs of one node).
 */
public final class LocalPrecopyTarget implements PrecopyEngine.Target {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final java.time.Duration ASK_BOUND = java.time.Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final VmSpec spec;
  private final ActorRef<VmActor.VmEvent> subscriber;
  private final CompletableFuture<VmActor.CaughtUp> caughtUp = new CompletableFuture<>();
  private PrecopyTarget copy;
  private ActorRef<VmActor.Command> vm;

  /**
   * @param spec the VM as the target runs it
   * @param subscriber gets the target's console lines from its go-live on (null: nobody)
   */
  public LocalPrecopyTarget(
      ActorSystem<?> system, VmSpec spec, ActorRef<VmActor.VmEvent> subscriber) {
    this.system = system;
    this.spec = spec;
    this.subscriber = subscriber;
  }

  /** The target's VM actor, once begun. */
  public synchronized ActorRef<VmActor.Command> vm() {
    return vm;
  }

  @Override
  public synchronized CompletionStage<Void> begin(MachineState state, long instructions) {
    copy = new PrecopyTarget(state, spec.plan());
    String suffix = spec.vmId() + "-" + COUNTER.incrementAndGet();
    ActorRef<VmActor.ReplicaEvent> listener =
        system.systemActorOf(listener(), "precopy-listener-" + suffix, Props.empty());
    vm =
        system.systemActorOf(
            VmActor.createReplica(spec, copy.replica(listener)),
            "precopy-target-" + suffix,
            Props.empty());
    if (subscriber != null) {
      vm.tell(new VmActor.Subscribe(subscriber));
    }
    // Its reply comes once the copy is finished; a failed restore is reported to the listener.
    AskPattern.ask(vm, VmActor.Start::new, ASK_BOUND, system.scheduler());
    return copy.memory().thenApply(memory -> null);
  }

  private Behavior<VmActor.ReplicaEvent> listener() {
    return Behaviors.receive(
        (ctx, event) -> {
          if (event instanceof VmActor.CaughtUp c) {
            caughtUp.complete(c);
            return Behaviors.stopped();
          }
          if (event instanceof VmActor.ReplayFailed f) {
            caughtUp.completeExceptionally(new IllegalStateException(f.reason()));
            return Behaviors.stopped();
          }
          return Behaviors.same();
        });
  }

  @Override
  public CompletionStage<PageBatches.Applied> round(
      String streamId, Source<ByteString, NotUsed> frames) {
    return copy()
        .memory()
        .thenCompose(memory -> frames.runWith(PageBatches.applyTo(streamId, memory), system));
  }

  @Override
  public CompletionStage<VmActor.CaughtUp> finish(MachineState state, long instructions) {
    copy().finish(state, instructions);
    return caughtUp;
  }

  @Override
  public CompletionStage<Void> goLive(long nextLine, byte[] pendingLine) {
    return AskPattern.<VmActor.Command, VmActor.Reply>ask(
            vm(), r -> new VmActor.GoLive(nextLine, pendingLine, r), ASK_BOUND, system.scheduler())
        .thenApply(
            reply -> {
              if (reply instanceof VmActor.Refused r) {
                throw new IllegalStateException("the target refused to go live: " + r.reason());
              }
              return null;
            });
  }

  @Override
  public synchronized void discard(String reason) {
    if (copy != null) {
      copy.fail(new IllegalStateException("migration aborted: " + reason));
    }
    if (vm != null) {
      AskPattern.ask(vm, VmActor.Stop::new, ASK_BOUND, system.scheduler());
    }
  }

  private synchronized PrecopyTarget copy() {
    if (copy == null) {
      throw new IllegalStateException("the target copy was not begun");
    }
    return copy;
  }
}
