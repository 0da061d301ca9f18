package org.crtrmotion.simulations.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.simulations.qemu.QemuMigrationResult;
import org.crtrmotion.simulations.qemu.QemuPrecopy;
import org.crtrmotion.simulations.qemu.QemuRun;

/**
 * QEMU's own pre-copy as the evaluation's outside anchor: the same bundled guest, RAM, {@code
 * downtime-limit} and {@code max-bandwidth} as our runs, the link enforced by {@link QemuPrecopy}'s
 * rate-limited proxy for every phase (its final pass included), and QEMU's {@code query-migrate}
 * figures reported.
 */
public final class QemuPrecopyBaseline implements ExternalBaseline {
  /** As long as our runs let a guest run before migrating it. */
  private static final Duration WARM_UP = Duration.ofSeconds(1);

  private static final long MIB = 1L << 20;

  @Override
  public String name() {
    return "qemu-precopy";
  }

  @Override
  public String unavailableBecause() {
    return QemuPrecopy.available()
        ? ""
        : "qemu-system-riscv64 is not installed (Debian package qemu-system-misc)";
  }

  @Override
  public Optional<Result> migrate(EvalWorkload workload, Link link, Duration downtimeLimit)
      throws IOException, InterruptedException {
    if (!workload.runnable()) {
      return Optional.empty();
    }
    byte[] elf =
        BundledGuests.read(workload.image())
            .orElseThrow(
                () -> new IOException("no bundled guest " + workload.image() + " to give QEMU"));
    Path image = Files.createTempFile("crtr-qemu-" + workload.name() + "-", ".elf");
    try {
      Files.write(image, elf);
      QemuMigrationResult r =
          QemuPrecopy.migrate(
              new QemuRun(
                  image,
                  workload.bootargs(),
                  (workload.ramBytes() + MIB - 1) / MIB * MIB,
                  downtimeLimit.toMillis(),
                  link.bytesPerSecond(),
                  WARM_UP));
      return Optional.of(
          new Result(
              r.totalTimeMillis(),
              r.downtimeMillis(),
              r.setupTimeMillis(),
              r.transferredBytes(),
              status(r)));
    } finally {
      Files.deleteIfExists(image);
    }
  }

  /**
   * QEMU's outcome, and whether the guest ran on: QEMU 7.2 does not re-arm the CLINT timer on the
   * target, so a guest caught asleep on it at the switch never wakes there (see README).
   */
  private static String status(QemuMigrationResult r) {
    if (r.outcome() != QemuMigrationResult.Outcome.COMPLETED) {
      return "cancelled-not-converged";
    }
    return r.target().continued() ? "completed" : "completed, guest stalled on target";
  }
}
