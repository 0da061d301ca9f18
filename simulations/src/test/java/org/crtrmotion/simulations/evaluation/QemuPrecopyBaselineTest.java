package org.crtrmotion.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** QEMU's pre-copy plugs into the evaluation as a baseline (real QEMU, installed by .ci/run). */
class QemuPrecopyBaselineTest {
  @Test
  void theEvaluationFindsQemuAsABaselineOnTheClassPath() {
    assertTrue(
        ExternalBaseline.discover().stream().anyMatch(b -> b instanceof QemuPrecopyBaseline),
        "services file lists it");
  }

  @Test
  void aMemoryGuestMigratedByQemuAtOneGigabitReportsQemusFigures() throws Exception {
    QemuPrecopyBaseline qemu = new QemuPrecopyBaseline();
    assertEquals("", qemu.unavailableBecause(), "qemu-system-riscv64 on the PATH");
    ExternalBaseline.Result r =
        qemu.migrate(Workloads.memory(4), Link.GBIT_1, Duration.ofMillis(300)).orElseThrow();
    assertTrue(r.status().startsWith("completed"), r.status());
    assertTrue(r.transferredBytes() > 1 << 20, "at least the working set: " + r.transferredBytes());
    assertTrue(r.totalTimeMillis() > 0, "total " + r.totalTimeMillis());
  }

  @Test
  void aWorkloadThatCannotRunYetIsNotMigrated() throws Exception {
    EvalWorkload notYet =
        new EvalWorkload("later", "idle.elf", "", 32L << 20, 1L << 16, "later", "needs a device");
    assertTrue(
        new QemuPrecopyBaseline().migrate(notYet, Link.GBIT_1, Duration.ofMillis(300)).isEmpty());
  }
}
