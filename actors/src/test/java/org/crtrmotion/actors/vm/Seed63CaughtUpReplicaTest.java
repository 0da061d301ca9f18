package org.crtrmotion.actors.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.streams.CheckpointStreams;
import org.crtrmotion.streams.CheckpointTransfer;
import org.crtrmotion.streams.ReplayFeedSink;
import org.crtrmotion.streams.TraceStreams;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica caught up at the freeze point F waits, paused, for GoLive, whatever else reaches it
 * meanwhile. Found by the fault simulator, seed 63: the source node crashed just after the
 * directory moved the VM to the target; while the target's coordinator asked the directory, a
 * migration of the same VM started from the target's node, was refused a recording by the copy and,
 * aborting, told it to stop recording, which set it running past its trace: it diverged, ended, and
 * could not go live, so the VM was lost.
 */
class Seed63CaughtUpReplicaTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  private ActorRef<VmActor.Command> source;
  private ActorRef<VmActor.Command> replica;
  private GrowingFeed feed;
  private VmActor.Frozen frozen;

  @AfterAll
  static void stopKit() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void stopVms() {
    for (ActorRef<VmActor.Command> vm : new ActorRef[] {source, replica}) {
      if (vm != null) {
        ask(vm, VmActor.Stop::new, VmActor.Reply.class);
      }
    }
  }

  @Test
  void seed63_aCaughtUpReplicaToldToStopRecordingStaysPausedAtTheFreezePointAndGoesLive() {
    catchUp();

    VmActor.Status afterStop = ask(replica, VmActor.StopRecording::new, VmActor.Status.class);

    assertEquals(VmState.PAUSED, afterStop.state());
    assertEquals(frozen.instructions(), afterStop.instructions());
    assertEquals(VmState.RUNNING, goLive().state());
  }

  @Test
  void seed63_aCaughtUpReplicaWhoseTraceStreamThenFailsStillGoesLive() {
    catchUp();

    feed.fail(new IllegalStateException("the trace stream failed: its sender is gone"));

    VmActor.Status status = ask(replica, VmActor.GetStatus::new, VmActor.Status.class);
    assertEquals(VmState.PAUSED, status.state());
    assertEquals(VmState.RUNNING, goLive().state());
  }

  /** Records idle.elf in host time to F, then replays the whole trace on a replica up to F. */
  private void catchUp() {
    VmSpec spec =
        new VmSpec(
            "seed63-" + ++vms,
            MachineConfig.defaults()
                .withRamBytes(16L << 20)
                .withTimeMode(TimeMode.HOST)
                .withBootargs("period_us=2000 ticks=0"),
            new BootPlan.BareMetal(GuestImages.load("idle.elf")));
    source = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> lines = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(lines.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    lines.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
    VmActor.RecordingStarted rec =
        ask(source, r -> new VmActor.BeginRecording(8, r), VmActor.RecordingStarted.class);
    for (int i = 0; i < 3; i++) {
      lines.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE); // clock reads to record
    }
    frozen = ask(source, VmActor.Freeze::new, VmActor.Frozen.class);
    feed = new GrowingFeed(rec.instructions(), 4_096);
    rec.trace()
        .source()
        .via(TraceStreams.encodeAsAvailable("s63/trace", 4))
        .runWith(ReplayFeedSink.into("s63/trace", rec.instructions(), feed), testKit.system());
    TestProbe<VmActor.ReplicaEvent> events = testKit.createTestProbe();
    VmActor.Replica copy =
        new VmActor.Replica(
            (console, devices) ->
                CheckpointTransfer.frames(
                        "s63/checkpoint",
                        rec.checkpoint(),
                        CheckpointStreams.DEFAULT_CHUNK_BYTES,
                        PATIENCE)
                    .runWith(
                        CheckpointTransfer.restore(
                            "s63/checkpoint", spec.plan(), console, PATIENCE),
                        testKit.system()),
            feed,
            events.ref());
    replica = testKit.spawn(VmActor.createReplica(spec, copy));
    ask(replica, VmActor.Start::new, VmActor.Status.class);
    while (!(events.receiveMessage(PATIENCE) instanceof VmActor.CaughtUp)) {
      // Replayed progress until the replica reaches F
    }
  }

  private VmActor.Status goLive() {
    return ask(
        replica,
        r -> new VmActor.GoLive(frozen.lines() + 1, frozen.pendingLine(), r),
        VmActor.Status.class);
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }
}
