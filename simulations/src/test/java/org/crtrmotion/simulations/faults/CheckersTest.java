package org.crtrmotion.simulations.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.vm.VmState;
import org.junit.jupiter.api.Test;

/**
 * Each checker on fabricated observations: a healthy run (a VM that migrated n1→n2 with its lines
 * continuing) passes them all; each deliberately broken variant fails exactly its own checker.
 */
class CheckersTest {
  private static final String VM = "n1-vm-1";

  private static List<Observations.Line> healthyLines() {
    List<Observations.Line> lines = new ArrayList<>();
    for (long n = 1; n <= 5; n++) {
      lines.add(new Observations.Line("n1", VM, n));
    }
    for (long n = 6; n <= 8; n++) {
      lines.add(new Observations.Line("n2", VM, n));
    }
    return lines;
  }

  private static Observations.MigrationSeen committed(DigestCheck digest, long elapsedMillis) {
    return new Observations.MigrationSeen(
        0, "n1-m1-x", VM, "n1", "n2", Outcome.COMMITTED, "", digest, elapsedMillis, 10_000, false);
  }

  private static Observations healthy() {
    return new Observations(
        List.of(VM),
        Set.of(),
        healthyLines(),
        List.of(committed(DigestCheck.MATCH, 800)),
        List.of(new Observations.VmSeen("n2", VM, VmState.RUNNING)),
        Map.of(VM, "n2"),
        Observations.Leftovers.NONE);
  }

  private static Observations with(
      Set<String> down,
      List<Observations.Line> lines,
      List<Observations.MigrationSeen> migrations,
      List<Observations.VmSeen> vms,
      Observations.Leftovers leftovers) {
    return new Observations(List.of(VM), down, lines, migrations, vms, Map.of(VM, "n2"), leftovers);
  }

  private static Set<Invariant> broken(Observations o) {
    return Set.copyOf(Checker.checkAll(o).stream().map(Violation::invariant).toList());
  }

  @Test
  void aHealthyRunPassesEveryChecker() {
    assertEquals(List.of(), Checker.checkAll(healthy()));
  }

  @Test
  void aVmRunningNowhereIsLost() {
    Observations o =
        with(
            Set.of(),
            healthyLines(),
            healthy().migrations(),
            List.of(),
            Observations.Leftovers.NONE);

    assertEquals(Set.of(Invariant.NO_VM_LOST), broken(o));
  }

  @Test
  void aVmRunningOnTwoNodesIsReportedByTheLostVmChecker() {
    Observations o =
        with(
            Set.of(),
            healthyLines(),
            healthy().migrations(),
            List.of(
                new Observations.VmSeen("n1", VM, VmState.RUNNING),
                new Observations.VmSeen("n2", VM, VmState.RUNNING)),
            Observations.Leftovers.NONE);

    assertEquals(Set.of(Invariant.NO_VM_LOST), broken(o));
  }

  @Test
  void aSourceLeftPausedCountsAsNotRunning() {
    Observations o =
        with(
            Set.of(),
            healthyLines(),
            healthy().migrations(),
            List.of(
                new Observations.VmSeen("n2", VM, VmState.RUNNING),
                new Observations.VmSeen("n1", VM, VmState.PAUSED)),
            Observations.Leftovers.NONE);

    assertEquals(Set.of(Invariant.NO_VM_LOST), broken(o));
  }

  @Test
  void aVmWhoseOwnerWentDownIsExcusedWhenItRunsNowhere() {
    Observations o =
        with(
            Set.of("n2"),
            healthyLines(),
            healthy().migrations(),
            List.of(),
            Observations.Leftovers.NONE);

    assertEquals(List.of(), new NoVmLostChecker().check(o));
  }

  @Test
  void aFormerOwnerWritingAfterTheNewOneIsTwoLiveCopies() {
    List<Observations.Line> lines = healthyLines();
    lines.add(new Observations.Line("n1", VM, 6)); // n1 still live after n2 took over

    List<Violation> found = new OneLiveCopyChecker().check(healthyWith(lines));

    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).detail().contains("line 6 from n1"), found.toString());
  }

  @Test
  void aCommitWithoutEqualDigestsIsReported() {
    Observations o =
        with(
            Set.of(),
            healthyLines(),
            List.of(committed(DigestCheck.MISMATCH, 800)),
            healthy().finalVms(),
            Observations.Leftovers.NONE);

    assertEquals(Set.of(Invariant.EQUAL_DIGESTS), broken(o));
  }

  @Test
  void aMissingLineIsAGap() {
    List<Observations.Line> lines = healthyLines();
    lines.removeIf(l -> l.number() == 6); // the target went live at 7

    List<Violation> found = new OutputContinuityChecker().check(healthyWith(lines));

    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).detail().contains("lines 6 to 6 missing"), found.toString());
  }

  @Test
  void aLineNumberedTwiceIsADuplicate() {
    List<Observations.Line> lines = healthyLines();
    lines.add(5, new Observations.Line("n2", VM, 5)); // the target repeated the source's last line

    List<Violation> found = new OutputContinuityChecker().check(healthyWith(lines));

    assertTrue(found.stream().anyMatch(v -> v.detail().contains("line 5 twice")), found.toString());
  }

  @Test
  void aGapAfterTheLastLineOfANodeThatWentDownIsExcused() {
    List<Observations.Line> lines = healthyLines();
    lines.removeIf(l -> l.number() == 5);
    Observations o =
        with(
            Set.of("n1"),
            lines,
            healthy().migrations(),
            healthy().finalVms(),
            Observations.Leftovers.NONE);

    assertEquals(List.of(), new OutputContinuityChecker().check(o));
  }

  @Test
  void aMigrationWithoutAReportWhileItsSourceIsUpNeverEnded() {
    Observations.MigrationSeen silent =
        new Observations.MigrationSeen(
            0, "id", VM, "n1", "n2", null, null, null, 10_000, 10_000, false);

    List<Violation> found = new MigrationEndedChecker().check(withMigration(silent));

    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).detail().contains("never reported"), found.toString());
  }

  @Test
  void aMigrationThatEndedPastItsBoundIsReported() {
    List<Violation> found =
        new MigrationEndedChecker().check(withMigration(committed(DigestCheck.MATCH, 10_001)));

    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).detail().contains("past its bound"), found.toString());
  }

  @Test
  void aMigrationWhoseSourceWentDownNeedNotReport() {
    Observations.MigrationSeen lost =
        new Observations.MigrationSeen(
            0, "id", VM, "n1", "n2", null, null, null, 300, 10_000, true);

    assertEquals(List.of(), new MigrationEndedChecker().check(withMigration(lost)));
  }

  @Test
  void aGuestThreadASpillDirectoryAndAPortLeftBehindAreEachReported() {
    Observations o =
        with(
            Set.of(),
            healthyLines(),
            healthy().migrations(),
            healthy().finalVms(),
            new Observations.Leftovers(
                List.of("crtr-vm-n1-vm-1"), List.of("/tmp/crtr-spill-n1-m1-x"), List.of(25520)));

    List<Violation> found = new ResourcesReleasedChecker().check(o);

    assertEquals(3, found.size(), found.toString());
    assertEquals(Set.of(Invariant.RESOURCES_RELEASED), broken(o));
  }

  @Test
  void eachInvariantHasItsOwnExitCode() {
    assertEquals(
        Invariant.values().length,
        java.util.Arrays.stream(Invariant.values())
            .mapToInt(Invariant::exitCode)
            .distinct()
            .count());
  }

  private static Observations healthyWith(List<Observations.Line> lines) {
    return with(
        Set.of(), lines, healthy().migrations(), healthy().finalVms(), Observations.Leftovers.NONE);
  }

  private static Observations withMigration(Observations.MigrationSeen m) {
    return with(
        Set.of(), healthyLines(), List.of(m), healthy().finalVms(), Observations.Leftovers.NONE);
  }
}
