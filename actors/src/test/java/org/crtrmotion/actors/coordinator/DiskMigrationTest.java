package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crtrmotion.actors.devices.DeviceSpec;
import org.crtrmotion.actors.devices.ImageIdentity;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * disk.elf with a virtio-blk disk in the actor runtime: its copy-on-write overlay travels with the
 * VM state, so it keeps writing, reading back and verifying blocks around three nodes (A→B→C→A) by
 * each strategy; a target without the base image, or with another one, refuses at Prepare naming
 * the image (and both SHA-256s) and the migration aborts with the source running on.
 */
class DiskMigrationTest {
  private static final Pattern ROUND = Pattern.compile("disk: round (\\d+) ok sum=[0-9a-f]{16}");

  @TempDir static Path dir;
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

  static MachineConfig diskGuest() {
    return MachineConfig.defaults()
        .withRamBytes(16L << 20)
        .withTimeMode(TimeMode.HOST)
        .withBootargs("blocks=64 rounds=0 report=1");
  }

  private static Path image(String name, long seed) throws IOException {
    byte[] bytes = new byte[1 << 20];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  @ParameterizedTest(name = "{0}: disk.elf goes round three nodes with its overlay, verifying")
  @EnumSource(Strategy.class)
  void diskGuestKeepsVerifyingAroundThreeNodesWithItsOverlay(Strategy strategy) throws Exception {
    Path base = image("round-" + strategy.cliName() + ".img", 1);
    String vmId =
        a.startVm("disk.elf", diskGuest(), VmDevices.of(DeviceSpec.Disk.at(base.toString())));
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 3);
    List<MigrationNode> hops = List.of(a, b, c, a);
    for (int hop = 1; hop < hops.size(); hop++) {
      MigrationNode from = hops.get(hop - 1);
      MigrationNode to = hops.get(hop);
      MigrationReport report = from.migrate(vmId, to, StrategyParameters.of(strategy));
      assertEquals(Outcome.COMMITTED, report.outcome(), from.name + "->" + to.name + ": " + report);
      assertEquals(DigestCheck.MATCH, report.digestCheck(), "the overlay is in the digest");
      long lastOnSource = report.outputContinuity().lastSourceLine();
      console.drainTo(from, lastOnSource);
      console.awaitFrom(to, lastOnSource + 3);
      assertFalse(from.vmIds().contains(vmId), from.name + "'s copy is gone");
      System.out.printf(
          "%s disk.elf %s->%s: total %d ms, downtime %d ms, %s%n",
          strategy.cliName(),
          from.name,
          to.name,
          report.totalTimeMillis(),
          report.downtimeMillis(),
          report.bytesByKind());
    }
    a.stopVm(vmId);
    console.assertOneSequenceFrom1();
    assertEveryRoundVerified(console.texts());
  }

  /** Line 1 is the banner; line n + 1 says round n verified: no round missing, none repeated. */
  private static void assertEveryRoundVerified(List<String> lines) {
    assertTrue(lines.get(0).startsWith("disk: sectors=2048 blocks=64"), lines.get(0));
    for (int i = 1; i < lines.size(); i++) {
      Matcher m = ROUND.matcher(lines.get(i));
      assertTrue(m.matches(), "line " + (i + 1) + ": " + lines.get(i));
      assertEquals(i, Long.parseLong(m.group(1)), "line " + (i + 1) + ": " + lines.get(i));
    }
  }

  @Test
  void aTargetWithoutTheBaseImageRefusesNamingItAndTheMigrationAborts() throws Exception {
    Path base = image("missing.img", 2);
    String vmId =
        a.startVm("disk.elf", diskGuest(), VmDevices.of(DeviceSpec.Disk.at(base.toString())));
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 2);
    Files.delete(base); // the source keeps its open file; b finds none
    MigrationReport report = a.migrate(vmId, b, CrtrMigrationTest.PARAMETERS);
    assertEquals(Outcome.ABORTED, report.outcome(), report.toString());
    assertTrue(
        report.reason().contains("disk image " + base + " is not on node b"), report.reason());
    assertSourceRunsOn(vmId, console);
  }

  @Test
  void aTargetWithAnotherBaseImageRefusesNamingBothHashesAndTheMigrationAborts() throws Exception {
    Path base = image("changed.img", 3);
    String original = new ImageIdentity().sha256(base);
    String vmId =
        a.startVm("disk.elf", diskGuest(), VmDevices.of(DeviceSpec.Disk.at(base.toString())));
    ConsoleRecord console = new ConsoleRecord(vmId);
    console.awaitFrom(a, 2);
    // Another file at the same path: the source keeps its open one, b hashes the new one.
    Path other = image("other.img", 4);
    String changed = new ImageIdentity().sha256(other);
    Files.move(other, base, StandardCopyOption.REPLACE_EXISTING);
    MigrationReport report = a.migrate(vmId, b, CrtrMigrationTest.PARAMETERS);
    assertEquals(Outcome.ABORTED, report.outcome(), report.toString());
    assertTrue(report.reason().contains("disk image " + base), report.reason());
    assertTrue(report.reason().contains(original), report.reason());
    assertTrue(report.reason().contains(changed), report.reason());
    assertSourceRunsOn(vmId, console);
  }

  private static void assertSourceRunsOn(String vmId, ConsoleRecord console) {
    assertTrue(a.vmIds().contains(vmId));
    assertFalse(b.vmIds().contains(vmId));
    assertEquals("a", ((VmDirectory.Location) a.lookup(vmId)).node());
    console.awaitFrom(a, console.lastFrom(a) + 2); // still verifying, in sequence
    a.stopVm(vmId);
    console.assertOneSequenceFrom1();
    assertEveryRoundVerified(console.texts());
  }
}
