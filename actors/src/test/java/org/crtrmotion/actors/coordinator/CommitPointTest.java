package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The directory's move is the commit point: while it is asked and not answered, nothing may abort
 * the migration, or the source runs on while the directory names the target (found by the fault
 * simulator, seed 17: a cancel in CAUGHT_UP left the VM running on its source, owned by its
 * target). Here a gate holds a's moves until the test lets them through.
 */
class CommitPointTest {
  private static final long PATIENCE_SECONDS = MigrationNode.PATIENCE.toSeconds();
  private static final LinkedBlockingQueue<VmDirectory.Move> heldMoves =
      new LinkedBlockingQueue<>();
  private static final ActorRef<?>[] realDirectory = new ActorRef<?>[1];
  private static MigrationNode a;
  private static MigrationNode b;

  /** Passes every directory command on but moves, which wait in {@link #heldMoves}. */
  private static Behavior<VmDirectory.Command> gate(ActorRef<VmDirectory.Command> real) {
    return Behaviors.receiveMessage(
        command -> {
          if (command instanceof VmDirectory.Move move) {
            heldMoves.add(move);
          } else {
            real.tell(command);
          }
          return Behaviors.same();
        });
  }

  @BeforeAll
  static void start() {
    a =
        new MigrationNode(
            "a",
            CrtrMigrationTest.SETTINGS,
            (kit, real) -> {
              realDirectory[0] = real;
              return kit.spawn(gate(real), "directory-gate");
            });
    a.join(a);
    b = new MigrationNode("b", CrtrMigrationTest.SETTINGS);
    b.join(a);
    a.awaitMigrationsOf(List.of(a, b));
    b.awaitMigrationsOf(List.of(a, b));
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  @SuppressWarnings("unchecked")
  private static void letThrough(VmDirectory.Move move) {
    ((ActorRef<VmDirectory.Command>) realDirectory[0]).tell(move);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void seed17_aCancelWhileTheDirectoryMovesTheVmIsRefusedAndTheMigrationCommits(Strategy strategy)
      throws Exception {
    String vmId = a.startVm("memory.elf", CrtrMigrationTest.memoryGuest());
    assertInstanceOf(VmDirectory.Location.class, a.register(vmId));
    MigrationClient.Migration m =
        a.client.start(vmId, "b", StrategyParameters.of(strategy), u -> {});
    String id = m.migrationId().toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    VmDirectory.Move move = heldMoves.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertNotNull(move, "the source never asked the directory to move " + vmId);

    CancelReply reply =
        a.client.cancel(id).toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    letThrough(move);

    assertInstanceOf(CancelReply.Refused.class, reply, reply.toString());
    MigrationReport report =
        m.report().toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertEquals(Outcome.COMMITTED, report.outcome(), report.toString());
    assertEquals("b", ((VmDirectory.Location) a.lookup(vmId)).node());
    assertTrue(b.vmIds().contains(vmId), "b runs " + vmId);
    assertFalse(a.vmIds().contains(vmId), "a no longer runs " + vmId);
    b.stopVm(vmId);
  }
}
