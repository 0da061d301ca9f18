package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.cluster.typed.Cluster;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The VM directory is a cluster singleton whose table lives in memory: when its node (the oldest,
 * a) leaves, the singleton starts again on b with an empty table, asks every host agent to claim
 * its VMs, and knows again where each VM lives and at which epoch.
 */
class DirectoryHandoverTest {
  private static MigrationNode a;
  private static MigrationNode b;
  private static MigrationNode c;

  @BeforeAll
  static void start() {
    List<MigrationNode> nodes = MigrationNode.cluster(CrtrMigrationTest.SETTINGS, "a", "b", "c");
    a = nodes.get(0);
    b = nodes.get(1);
    c = nodes.get(2);
  }

  @AfterAll
  static void stop() {
    for (MigrationNode n : new MigrationNode[] {c, b}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  void aDirectoryStartedAgainOnAnotherNodeLearnsEveryVmAtItsEpochFromTheHostAgents()
      throws Exception {
    String moved = b.startVm("memory.elf", CrtrMigrationTest.memoryGuest());
    String stays = b.startVm("idle.elf", CrtrMigrationTest.idleGuest());
    new ConsoleRecord(moved).awaitFrom(b, 2);
    MigrationReport report = CrtrMigrationTest.migrate(b, moved, c);
    assertEquals(Outcome.COMMITTED, report.outcome(), report.reason());
    // Known before the handover: the migrated VM by the commit's move, the other by b's claim.
    awaitLocation(c, moved, new VmDirectory.Location(moved, "c", 2));
    awaitLocation(c, stays, new VmDirectory.Location(stays, "b", 1));

    a.close(); // the oldest node leaves: the singleton starts again on b, its table empty

    awaitLocation(c, moved, new VmDirectory.Location(moved, "c", 2));
    awaitLocation(c, stays, new VmDirectory.Location(stays, "b", 1));
    c.stopVm(moved);
    b.stopVm(stays);
    // a is removed from the membership before b and c leave in turn (their leaving waits for it).
    b.kit
        .createTestProbe()
        .awaitAssert(
            MigrationNode.PATIENCE,
            Duration.ofMillis(200),
            () -> {
              assertEquals(2, Cluster.get(b.kit.system()).state().members().size());
              return null;
            });
  }

  private static void awaitLocation(
      MigrationNode from, String vmId, VmDirectory.Location expected) {
    from.kit
        .createTestProbe()
        .awaitAssert(
            MigrationNode.PATIENCE,
            Duration.ofMillis(200),
            () -> {
              assertEquals(expected, from.lookup(vmId));
              return null;
            });
  }
}
