package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.vm.machine.MachineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A VM migrated around three nodes, A→B→C→A, by each strategy (CR/TR-Motion and pre-copy): each hop
 * commits with equal digests, the console is one numbered sequence across all four stays, each
 * former owner's copy is gone, and the directory's epoch counts the hops. Every strategy × guest is
 * its own named case.
 */
class ThreeNodeMigrationTest {
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
    c.close();
    b.close();
    a.close();
  }

  static Stream<Arguments> strategiesAndGuests() {
    return Stream.of(Strategy.values())
        .flatMap(
            strategy ->
                Stream.of(
                    Arguments.of(strategy, "memory.elf", CrtrMigrationTest.memoryGuest()),
                    Arguments.of(strategy, "idle.elf", CrtrMigrationTest.idleGuest())));
  }

  @ParameterizedTest(name = "{0}: {1} goes round three nodes with one console sequence")
  @MethodSource("strategiesAndGuests")
  void aGuestGoesRoundThreeNodesWithOneConsoleSequence(
      Strategy strategy, String image, MachineConfig config) throws Exception {
    goesRound(strategy, image, config);
  }

  private void goesRound(Strategy strategy, String image, MachineConfig config) throws Exception {
    String vmId = a.startVm(image, config);
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 2);
    List<MigrationNode> hops = List.of(a, b, c, a);
    for (int hop = 1; hop < hops.size(); hop++) {
      MigrationNode from = hops.get(hop - 1);
      MigrationNode to = hops.get(hop);
      MigrationReport report = from.migrate(vmId, to, StrategyParameters.of(strategy));
      assertEquals(strategy, report.strategy());
      assertEquals(Outcome.COMMITTED, report.outcome(), from.name + "->" + to.name + ": " + report);
      assertEquals(DigestCheck.MATCH, report.digestCheck());
      long lastOnSource = report.outputContinuity().lastSourceLine();
      assertEquals(lastOnSource + 1, report.outputContinuity().firstTargetLine());
      console.drainTo(from, lastOnSource);
      console.awaitFrom(to, lastOnSource + 2);
      assertFalse(from.vmIds().contains(vmId), from.name + "'s copy is gone");
      assertTrue(to.vmIds().contains(vmId), to.name + " runs the VM");
      VmDirectory.Location at = (VmDirectory.Location) c.lookup(vmId);
      assertEquals(to.name, at.node());
      assertEquals(hop + 1, at.epoch());
      System.out.printf(
          "%s %s %s->%s: total %d ms, downtime %d ms, %d rounds, %s%n",
          strategy.cliName(),
          image,
          from.name,
          to.name,
          report.totalTimeMillis(),
          report.downtimeMillis(),
          report.rounds().size(),
          report.bytesByKind());
    }
    console.assertOneSequenceFrom1();
  }
}
