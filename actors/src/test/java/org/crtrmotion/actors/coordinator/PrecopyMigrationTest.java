package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.crtrmotion.actors.directory.VmDirectory;
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
 * Pre-copy between two cluster nodes in this JVM, through the same coordinators, protocol and
 * directory commit point as CR/TR: the pages cross as one StreamRef of round streams.
 */
class PrecopyMigrationTest {
  static final CoordinatorSettings SETTINGS = CrtrMigrationTest.SETTINGS;
  static final MigrationParameters PARAMETERS =
      MigrationParameters.defaults(Strategy.PRECOPY).withDeadline(Duration.ofSeconds(40));

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

  static MigrationReport migrate(
      MigrationNode from, String vmId, MigrationNode to, MigrationParameters parameters)
      throws Exception {
    return from.migrate(vmId, to, parameters);
  }

  @Test
  void aRunningMemoryGuestMovesToBByPrecopyAndGoesOnPrintingWhereItStopped() throws Exception {
    migratesAndGoesOn(
        "memory.elf",
        MachineConfig.defaults()
            .withRamBytes(32L << 20)
            .withTimeMode(TimeMode.HOST)
            .withBootargs("wss=1M rate=16 period_us=1000 ticks=0 report=10"));
  }

  @Test
  void anIdleGuestMovesToBByPrecopyAndGoesOnPrintingWhereItStopped() throws Exception {
    migratesAndGoesOn(
        "idle.elf",
        MachineConfig.defaults()
            .withRamBytes(16L << 20)
            .withTimeMode(TimeMode.HOST)
            .withBootargs("period_us=2000 ticks=0"));
  }

  private void migratesAndGoesOn(String image, MachineConfig config) throws Exception {
    String vmId = a.startVm(image, config);
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 3);
    MigrationReport report = migrate(a, vmId, b, PARAMETERS);

    assertEquals(Outcome.COMMITTED, report.outcome(), report.reason());
    assertEquals(Strategy.PRECOPY, report.strategy());
    assertEquals(DigestCheck.MATCH, report.digestCheck());
    assertTrue(report.freezeInstruction() > 0);
    assertTrue(report.bytesByKind().pages() > 0, "the pages crossed: " + report);
    assertTrue(report.bytesByKind().control() > 0, "the state crossed: " + report);
    assertEquals(0, report.bytesByKind().trace() + report.bytesByKind().checkpoint());
    assertFalse(report.rounds().isEmpty());
    assertTrue(report.outputContinuity().continuous(), report.outputContinuity().toString());
    long lastSource = report.outputContinuity().lastSourceLine();
    assertEquals(lastSource + 1, report.outputContinuity().firstTargetLine());

    console.drainTo(a, lastSource);
    console.awaitFrom(b, lastSource + 3);
    console.assertOneSequenceFrom1();
    assertEquals(lastSource, console.lastFrom(a), "the source printed nothing after its freeze");

    assertFalse(a.vmIds().contains(vmId), "the source's copy is gone");
    assertTrue(b.vmIds().contains(vmId), "b runs the VM");
    VmDirectory.Location at = (VmDirectory.Location) a.lookup(vmId);
    assertEquals("b", at.node());
    System.out.printf(
        "precopy %s a->b: total %d ms, setup %d ms, downtime %d ms, %d rounds, bytes %s, F=%,d%n",
        image,
        report.totalTimeMillis(),
        report.setupTimeMillis(),
        report.downtimeMillis(),
        report.rounds().size(),
        report.bytesByKind(),
        report.freezeInstruction());
  }

  @Test
  void aGuestDirtyingFasterThanATinyLinkEndsByAutoConvergeOrAbortWithinItsDeadline()
      throws Exception {
    String vmId =
        a.startVm(
            "memory.elf",
            MachineConfig.defaults()
                .withRamBytes(16L << 20)
                .withBootargs("wss=256K rate=64 ticks=0 report=200"));
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 1);
    MigrationParameters tiny =
        MigrationParameters.defaults(Strategy.PRECOPY)
            .withMaxBandwidth(640 << 10)
            .withDeadline(Duration.ofSeconds(30));
    tiny =
        new MigrationParameters(
            tiny.strategy(),
            tiny.downtimeLimit(),
            tiny.maxBandwidthBytesPerSecond(),
            tiny.autoConverge(),
            tiny.onNonConvergence(),
            2,
            tiny.maxRounds(),
            tiny.deadline());

    MigrationReport report = migrate(a, vmId, b, tiny);

    assertTrue(
        report.totalTimeMillis() <= tiny.deadline().toMillis() + 5_000,
        "took " + report.totalTimeMillis());
    assertTrue(report.maxThrottlePercent() >= 20, "auto-converge throttled: " + report);
    if (report.outcome() == Outcome.ABORTED) {
      assertTrue(a.vmIds().contains(vmId), "a still runs the VM");
      // The report comes once the source runs on; b discards its copy on the Abort it was sent.
      b.kit
          .createTestProbe()
          .awaitAssert(
              MigrationNode.PATIENCE,
              () -> {
                assertFalse(b.vmIds().contains(vmId), "b's copy is gone");
                return null;
              });
      console.awaitFrom(a, console.lastFrom(a) + 2); // and it still prints
    } else {
      assertEquals(DigestCheck.MATCH, report.digestCheck());
      console.drainTo(a, report.outputContinuity().lastSourceLine());
      console.awaitFrom(b, report.outputContinuity().lastSourceLine() + 2);
    }
    console.assertOneSequenceFrom1();
    System.out.printf(
        "precopy non-converging: %s %s after %d rounds, %d ms, throttle %d %%, bytes %s%n",
        report.outcome(),
        report.reason(),
        report.rounds().size(),
        report.totalTimeMillis(),
        report.maxThrottlePercent(),
        report.bytesByKind());
  }
}
