package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CR/TR-Motion between two cluster nodes in this JVM: everything between the coordinators crosses
 * Artery and the crtr.migration serializer, the checkpoint and the trace cross as StreamRefs.
 */
class CrtrMigrationTest {
  static final CoordinatorSettings SETTINGS =
      CoordinatorSettings.defaults().withRoundInterval(Duration.ofMillis(50));

  /**
   * A downtime-limit far above what any round predicts, so that the first round freezes: these
   * tests pin correctness (digests, output, ownership), and whether replay outruns the source on a
   * loaded host is a matter of timing that a test must not depend on (the non-convergence tests set
   * their own limits).
   */
  static final MigrationParameters PARAMETERS =
      MigrationParameters.defaults(Strategy.CRTR)
          .withDowntimeLimit(Duration.ofSeconds(20))
          .withDeadline(Duration.ofSeconds(40));

  private static MigrationNode a;
  private static MigrationNode b;

  @BeforeAll
  static void start() {
    List<MigrationNode> nodes = MigrationNode.cluster(SETTINGS, "a", "b");
    a = nodes.get(0);
    b = nodes.get(1);
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  static MachineConfig memoryGuest() {
    return MachineConfig.defaults()
        .withRamBytes(32L << 20)
        .withTimeMode(TimeMode.HOST)
        .withBootargs("wss=1M rate=16 period_us=1000 ticks=0 report=10");
  }

  static MachineConfig idleGuest() {
    return MachineConfig.defaults()
        .withRamBytes(16L << 20)
        .withTimeMode(TimeMode.HOST)
        .withBootargs("period_us=2000 ticks=0");
  }

  static MigrationReport migrate(MigrationNode from, String vmId, MigrationNode to)
      throws Exception {
    return from.migrate(vmId, to, PARAMETERS);
  }

  @Test
  void aRunningMemoryGuestMovesToBAndGoesOnPrintingWhereItStopped() throws Exception {
    migratesAndGoesOn("memory.elf", memoryGuest());
  }

  @Test
  void anIdleGuestMovesToBAndGoesOnPrintingWhereItStopped() throws Exception {
    migratesAndGoesOn("idle.elf", idleGuest());
  }

  @Test
  void aVmsQuotaTravelsWithItAndTheCommittedCopyKeepsIt() throws Exception {
    long quota = 30_000_000;
    String vmId = a.startVm("memory.elf", memoryGuest(), quota);
    new ConsoleRecord(vmId).awaitFrom(a, 2);

    MigrationReport report = migrate(a, vmId, b);

    assertEquals(Outcome.COMMITTED, report.outcome(), report.reason());
    assertEquals(DigestCheck.MATCH, report.digestCheck());
    assertEquals(
        List.of(new HostAgent.VmInfo(vmId, "memory.elf", 32L << 20, quota)),
        b.vms().stream().filter(v -> v.vmId().equals(vmId)).toList());
    b.stopVm(vmId);
  }

  private void migratesAndGoesOn(String image, MachineConfig config) throws Exception {
    String vmId = a.startVm(image, config);
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 3);
    MigrationReport report = migrate(a, vmId, b);

    assertEquals(Outcome.COMMITTED, report.outcome(), report.reason());
    assertEquals(DigestCheck.MATCH, report.digestCheck());
    assertTrue(report.freezeInstruction() > 0);
    assertTrue(report.bytesByKind().checkpoint() > 0, "the checkpoint crossed: " + report);
    assertTrue(report.bytesByKind().trace() > 0, "the trace crossed: " + report);
    assertTrue(report.outputContinuity().continuous(), report.outputContinuity().toString());
    long lastSource = report.outputContinuity().lastSourceLine();
    assertEquals(lastSource + 1, report.outputContinuity().firstTargetLine());

    console.drainTo(a, lastSource);
    console.awaitFrom(b, lastSource + 3);
    console.assertOneSequenceFrom1();

    assertFalse(a.vmIds().contains(vmId), "the source's copy is gone");
    assertTrue(b.vmIds().contains(vmId), "b runs the VM");
    VmDirectory.Location at = (VmDirectory.Location) a.lookup(vmId);
    assertEquals("b", at.node());
    assertEquals(2, at.epoch());
    System.out.printf(
        "%s a->b: total %d ms, setup %d ms, downtime %d ms, %d rounds, bytes %s, F=%,d%n",
        image,
        report.totalTimeMillis(),
        report.setupTimeMillis(),
        report.downtimeMillis(),
        report.rounds().size(),
        report.bytesByKind(),
        report.freezeInstruction());
  }
}
