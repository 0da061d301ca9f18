package org.crtrmotion.actors.vm;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.machine.BootException;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;

/**
 * The body of a VM's own thread: boots the machine, runs it in slices of {@link
 * VmSpec#sliceInstructions()} and, between two slices, carries out the orders its VM actor queued.
 * The machine is touched only here, so a pause, a checkpoint or a status read happens exactly
 * between two instructions. Everything it has to say goes back to the actor as a message.
 */
final class GuestThread implements Runnable {

  /** What the actor asks of the guest thread. */
  sealed interface Order
      permits Pause, Resume, ReadStatus, TakeCheckpoint, ReadDigest, SetThrottle, Stop {}

  record Pause(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record Resume(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record ReadStatus(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record TakeCheckpoint(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record ReadDigest(ActorRef<VmActor.Reply> replyTo) implements Order {}

  record SetThrottle(int percent, ActorRef<VmActor.Reply> replyTo) implements Order {}

  record Stop() implements Order {}

  private final VmSpec spec;
  private final ActorRef<VmActor.Command> actor;
  private final LongSupplier nanoClock;
  private final GuestTime time;
  private final VcpuPacer pacer;
  private final ConsoleLines console;
  // Unbounded, but the actor queues at most one order per command it receives.
  private final BlockingQueue<Order> orders = new LinkedBlockingQueue<>();
  private volatile Machine machine; // set once booted; read by stop() on the actor's thread

  // Guest thread only.
  private boolean paused;
  private RunResult ended;

  GuestThread(
      VmSpec spec, ActorRef<VmActor.Command> actor, LongSupplier nanoClock, GuestTime time) {
    this.spec = spec;
    this.actor = actor;
    this.nanoClock = nanoClock;
    this.time = time;
    this.pacer = new VcpuPacer(spec.sliceInstructions(), spec.quotaInstructionsPerSecond());
    this.console = new ConsoleLines(line -> actor.tell(new VmActor.GuestLine(line)));
  }

  /** Queues an order; it is carried out between two slices. Any thread. */
  void order(Order order) {
    orders.add(order);
  }

  /**
   * Ends the thread: the order first, then the machine's stop request, so that a run cut short by
   * it always finds the order waiting. Any thread.
   */
  void stop() {
    orders.add(new Stop());
    Machine m = machine;
    if (m != null) {
      m.requestStop();
    }
  }

  @Override
  public void run() {
    long instructions = 0;
    try {
      Machine m;
      try {
        m = Machine.boot(spec.config(), spec.plan(), console);
      } catch (BootException | RuntimeException e) {
        actor.tell(
            new VmActor.GuestBootFailed("cannot boot " + spec.vmId() + ": " + e.getMessage()));
        return;
      }
      machine = m;
      actor.tell(new VmActor.GuestBooted());
      try {
        loop(m);
      } finally {
        instructions = m.instructionsRetired();
      }
    } catch (InterruptedException e) {
      // Only the JVM interrupts this thread (at shutdown): end as for a stop.
    } finally {
      console.flush();
      actor.tell(new VmActor.GuestExited(instructions));
    }
  }

  private void loop(Machine m) throws InterruptedException {
    while (true) {
      Order order = paused || ended != null ? orders.take() : orders.poll();
      if (order instanceof Stop) {
        return;
      }
      if (order != null) {
        carryOut(order, m);
        continue;
      }
      // Throttle and quota: the wait between two slices, ended early by an order.
      long wait = pacer.waitNanos(time.nanoTime());
      if (wait > 0) {
        order = time.poll(orders, wait);
        if (order instanceof Stop) {
          return;
        }
        if (order != null) {
          carryOut(order, m);
        }
        continue;
      }
      long before = m.instructionsRetired();
      long start = time.nanoTime();
      RunResult r = m.run(before + pacer.sliceInstructions());
      long after = m.instructionsRetired();
      pacer.ran(start, time.nanoTime(), after - before, after);
      switch (r.reason()) {
        case INSTRUCTION_LIMIT -> {
          // A slice done.
        }
        case STOPPED -> {
          // Our stop request, whose Stop order is already queued; or an interrupt that the
          // machine turned into a stop while it slept in WFI, which would otherwise spin here.
          if (Thread.interrupted()) {
            throw new InterruptedException("guest thread interrupted");
          }
        }
        default -> {
          ended = r;
          console.flush();
          actor.tell(new VmActor.GuestEnded(r));
        }
      }
    }
  }

  private void carryOut(Order order, Machine m) {
    String id = spec.vmId();
    long at = m.instructionsRetired();
    if (order instanceof Pause p) {
      if (ended != null) {
        answer(new VmActor.Refused(id, "pause", "the guest ended: " + ended.detail()), p.replyTo());
      } else {
        paused = true;
        pacer.paused();
        answer(status(at), p.replyTo());
      }
    } else if (order instanceof Resume r) {
      if (ended != null) {
        answer(
            new VmActor.Refused(id, "resume", "the guest ended: " + ended.detail()), r.replyTo());
      } else {
        paused = false;
        answer(status(at), r.replyTo());
      }
    } else if (order instanceof ReadStatus s) {
      answer(status(at), s.replyTo());
    } else if (order instanceof ReadDigest d) {
      answer(new VmActor.Digest(id, at, m.digest()), d.replyTo());
    } else if (order instanceof SetThrottle t) {
      pacer.setThrottle(t.percent());
      answer(status(at), t.replyTo());
    } else if (order instanceof TakeCheckpoint c) {
      long start = nanoClock.getAsLong();
      Checkpoint checkpoint = m.checkpoint();
      long pauseNanos = nanoClock.getAsLong() - start;
      answer(new VmActor.CheckpointTaken(id, checkpoint, pauseNanos), c.replyTo());
    }
  }

  private VmActor.Status status(long at) {
    VmState state = ended != null ? VmState.ENDED : paused ? VmState.PAUSED : VmState.RUNNING;
    return new VmActor.Status(
        spec.vmId(),
        state,
        at,
        ended != null ? ended.detail() : "",
        pacer.throttlePercent(),
        pacer.recentInstructionsPerSecond());
  }

  private void answer(VmActor.Reply reply, ActorRef<VmActor.Reply> replyTo) {
    actor.tell(new VmActor.GuestAnswered(reply, replyTo));
  }
}
