package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.vm.VmActor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A source lost after the directory moved its VM (the commit point) and before its Commit reached
 * the target: the target asks the directory, finds the VM is its own and goes live with the console
 * numbered on. Found by the fault simulator, seed 18 (the target discarded its copy when the
 * source's coordinator terminated: the directory named it owner of a VM that ran nowhere). Here a
 * gate lets a's move reach the directory but drops the answer, so a never sends its Commit; then a
 * ends.
 */
class SourceLostAfterCommitPointTest {
  private static final long PATIENCE_SECONDS = MigrationNode.PATIENCE.toSeconds();

  private final LinkedBlockingQueue<VmDirectory.Move> moved = new LinkedBlockingQueue<>();
  private MigrationNode b;

  /** Passes every directory command on; a move's answer is dropped. */
  private Behavior<VmDirectory.Command> gate(
      ActorRef<VmDirectory.Command> real, ActorRef<VmDirectory.Reply> dropped) {
    return Behaviors.receive(VmDirectory.Command.class)
        .onAnyMessage(
            command -> {
              if (command instanceof VmDirectory.Move m) {
                real.tell(
                    new VmDirectory.Move(
                        m.vmId(), m.fromNode(), m.expectedEpoch(), m.toNode(), dropped));
                moved.add(m);
              } else {
                real.tell(command);
              }
              return Behaviors.same();
            })
        .build();
  }

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void seed18_aTargetWhoseSourceIsLostPastTheCommitPointGoesLive(Strategy strategy)
      throws Exception {
    // b is the oldest node, so the directory (a singleton) stays with it when a ends.
    b = new MigrationNode("b", CrtrMigrationTest.SETTINGS);
    b.join(b);
    b.awaitMigrationsOf(List.of(b));
    MigrationNode a =
        new MigrationNode(
            "a",
            CrtrMigrationTest.SETTINGS,
            (kit, real) -> kit.spawn(gate(real, kit.system().ignoreRef()), "gate"));
    a.join(b);
    a.awaitMigrationsOf(List.of(a, b));
    b.awaitMigrationsOf(List.of(a, b));
    String vmId = a.startVm("memory.elf", CrtrMigrationTest.memoryGuest());
    a.register(vmId);
    a.client.start(vmId, "b", StrategyParameters.of(strategy), u -> {});
    assertNotNull(moved.poll(PATIENCE_SECONDS, TimeUnit.SECONDS), "a never moved " + vmId);
    while (!(b.lookup(vmId) instanceof VmDirectory.Location at && at.node().equals("b"))) {
      // the move reaches the directory after the gate saw it: ask until it has
    }

    a.close();

    VmActor.ConsoleLine first = b.nextLine(vmId);
    assertTrue(first.number() > 1, "b numbers on from a's lines: " + first);
    assertEquals(first.number() + 1, b.nextLine(vmId).number());
    assertTrue(b.vmIds().contains(vmId), "b runs " + vmId);
  }
}
