package org.crtrmotion.simulations.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crtrmotion.simulations.qemu.QemuMigrationResult.Outcome;
import org.crtrmotion.simulations.qemu.QemuMigrationResult.RamStats;
import org.crtrmotion.simulations.qemu.QemuMigrationResult.TargetProgress;

/**
 * QEMU's own pre-copy live migration of a guest image, the outside anchor the evaluation reports
 * beside ours.
 *
 * <p>{@link #migrate} starts a source {@code qemu-system-riscv64 -M virt -bios none -kernel IMAGE
 * -append BOOTARGS} and a target waiting for an incoming migration on 127.0.0.1, both driven over
 * QMP with their consoles captured to files. The source's stream reaches the target through a
 * {@link RateLimitedProxy} at the run's bandwidth, so that every phase, QEMU's final stop-and-copy
 * pass included (its own {@code max-bandwidth} does not cap that pass), crosses the same link as
 * ours. The source connects to the proxy over a UNIX-domain socket: a TCP sender's buffer grows to
 * megabytes, which QEMU would count as sent (and its downtime as over) while it still crosses the
 * link. After the warm-up it sets {@code downtime-limit} and {@code max-bandwidth}, migrates, polls
 * {@code query-migrate} to the end and watches the target's console for the guest's numbered lines
 * to continue. Both QEMU processes are killed when it returns or throws.
 *
 * <p>Seen with QEMU 7.2: a guest that is asleep on the CLINT timer at the switch (in WFI waiting
 * for {@code mtimecmp}) never wakes on the target, because the target does not re-arm the timer it
 * restores; the result's {@link TargetProgress#diagnosis()} then says so.
 */
public final class QemuPrecopy {
  /** How often {@code query-migrate} is asked; QEMU's rounds last tens of milliseconds or more. */
  private static final Duration POLL = Duration.ofMillis(50);

  /** A guard for the target's resumption after completion, not a pacing device. */
  private static final Duration RESUME_GUARD = Duration.ofSeconds(30);

  private static final Pattern REGISTER = Pattern.compile("^\\s*(pc|mie|mip)\\s+([0-9a-f]+)\\s*$");
  private static final long MIP_MTIP = 0x80; // machine timer interrupt bit in mie/mip

  private QemuPrecopy() {}

  /** Whether {@code qemu-system-riscv64} is on the PATH (the tests skip without it). */
  public static boolean available() {
    return QemuProcess.installed();
  }

  /**
   * Migrates {@code run}'s guest once with QEMU's pre-copy and reports what QEMU and the consoles
   * showed.
   *
   * @throws QemuUnavailableException when {@code qemu-system-riscv64} is not installed
   * @throws QemuMigrationException when QEMU's migration fails or a QEMU process does not do its
   *     part; the message names which and quotes QEMU's reason
   * @throws IOException when the work files or sockets cannot be used
   */
  public static QemuMigrationResult migrate(QemuRun run) throws IOException, InterruptedException {
    return migrate(run, List.of());
  }

  /** As {@link #migrate(QemuRun)}, with {@code targetArgs} added to the target's command line. */
  static QemuMigrationResult migrate(QemuRun run, List<String> targetArgs)
      throws IOException, InterruptedException {
    List<String> incoming = new ArrayList<>(List.of("-incoming", "defer"));
    incoming.addAll(targetArgs);
    Path dir = Files.createTempDirectory("crtr-qemu-precopy");
    try (QemuProcess target = QemuProcess.start("target QEMU", "target", dir, run, incoming);
        RateLimitedProxy link =
            RateLimitedProxy.startUnix(
                dir.resolve("link.sock"),
                listen(target),
                run.maxBandwidthBytesPerSecond(),
                Ticker.SYSTEM);
        QemuProcess source = QemuProcess.start("source QEMU", "source", dir, run, List.of("-S"))) {
      return new Migration(run, source, target, link).perform();
    } finally {
      deleteTree(dir);
    }
  }

  /** Has the target listen on an ephemeral port on 127.0.0.1 and returns it. */
  private static InetSocketAddress listen(QemuProcess target) throws IOException {
    QmpClient qmp = target.qmp();
    qmp.execute("migrate-incoming", Map.of("uri", "tcp:127.0.0.1:0"));
    JsonNode addresses = qmp.execute("query-migrate", Map.of()).path("socket-address");
    for (JsonNode a : addresses) {
      if (a.path("type").asText().equals("inet")) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), a.path("port").asInt());
      }
    }
    throw new QemuMigrationException(
        "target QEMU reported no TCP address for its incoming migration: " + addresses);
  }

  /** One migration's steps, over the processes {@link #migrate} owns. */
  private record Migration(
      QemuRun run, QemuProcess source, QemuProcess target, RateLimitedProxy link) {

    QemuMigrationResult perform() throws IOException, InterruptedException {
      QmpClient src = source.qmp();
      src.execute("cont", Map.of());
      // The workload's running time before the migration, not a synchronisation.
      Thread.sleep(run.warmUp().toMillis());
      src.execute(
          "migrate-set-parameters",
          Map.of(
              "downtime-limit", run.downtimeLimitMillis(),
              "max-bandwidth", run.maxBandwidthBytesPerSecond()));
      Instant started = Instant.now();
      src.execute("migrate", Map.of("uri", link.uri()));
      JsonNode status = awaitEnd(src);
      String state = status.path("status").asText();
      if (state.equals("failed")) {
        throw new QemuMigrationException(
            "QEMU's migration failed: "
                + status.path("error-desc").asText("(QEMU gave no reason)")
                + "; target QEMU said: "
                + target.stderrText());
      }
      if (!state.equals("completed")) {
        return notConverged(status);
      }
      QmpEvent resumed = awaitTargetResume();
      QmpEvent stopped = lastStop(src, started);
      TargetProgress progress = watchTarget();
      return new QemuMigrationResult(
          Outcome.COMPLETED,
          src.qemuVersion(),
          status.path("total-time").asLong(),
          status.path("downtime").asLong(),
          status.path("setup-time").asLong(),
          Duration.between(stopped.timestamp(), resumed.timestamp()).toMillis(),
          Duration.between(started, resumed.timestamp()).toMillis(),
          status.path("ram").path("transferred").asLong(),
          link.bytesToUpstream(),
          ram(status.path("ram")),
          progress,
          source.console(),
          target.console());
    }

    /**
     * Polls {@code query-migrate} until it ends, cancelling it at the run's timeout. Returns the
     * final status, or for a cancelled migration the last status seen while it was active (a
     * cancelled one carries no figures).
     */
    private JsonNode awaitEnd(QmpClient src) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + run.migrationTimeout().toNanos();
      JsonNode lastActive = null;
      boolean cancelled = false;
      while (true) {
        JsonNode status = src.execute("query-migrate", Map.of());
        String state = status.path("status").asText();
        if (state.equals("completed") || state.equals("failed")) {
          return status;
        }
        if (state.equals("cancelled")) {
          return lastActive == null ? status : lastActive;
        }
        if (status.has("ram")) {
          lastActive = status;
        }
        // Once cancelled, the target gives up on its incoming stream and may exit: that is no
        // fault.
        if (!cancelled && !target.alive()) {
          throw new QemuMigrationException(
              "target QEMU exited during the migration: " + target.stderrText());
        }
        if (!cancelled && System.nanoTime() > deadline) {
          src.execute("migrate_cancel", Map.of());
          cancelled = true;
        }
        Thread.sleep(POLL.toMillis());
      }
    }

    private QemuMigrationResult notConverged(JsonNode lastActive) throws IOException {
      return new QemuMigrationResult(
          Outcome.CANCELLED_NOT_CONVERGED,
          source.qmp().qemuVersion(),
          lastActive.path("total-time").asLong(-1),
          -1,
          lastActive.path("setup-time").asLong(-1),
          -1,
          -1,
          lastActive.path("ram").path("transferred").asLong(),
          link.bytesToUpstream(),
          ram(lastActive.path("ram")),
          new TargetProgress(
              false,
              false,
              -1,
              -1,
              "pre-copy had not converged after "
                  + run.migrationTimeout()
                  + " and was cancelled; the source runs on"),
          source.console(),
          target.console());
    }

    private QmpEvent awaitTargetResume() throws IOException {
      try {
        return target.qmp().awaitEvent("RESUME", RESUME_GUARD);
      } catch (IOException e) {
        throw new QemuMigrationException(
            "the source completed but target QEMU did not resume: " + target.stderrText(), e);
      }
    }

    private QmpEvent lastStop(QmpClient src, Instant after) throws QemuMigrationException {
      Optional<QmpEvent> stop =
          src.events().stream()
              .filter(e -> e.name().equals("STOP") && !e.timestamp().isBefore(after))
              .reduce((first, second) -> second);
      return stop.orElseThrow(
          () -> new QemuMigrationException("source QEMU completed without a STOP event"));
    }

    /**
     * Watches the target's console until the guest's numbered lines have continued for two lines or
     * the observation window ends, then explains a target that printed nothing.
     */
    private TargetProgress watchTarget() throws IOException, InterruptedException {
      long deadline = System.nanoTime() + run.observeTarget().toNanos();
      NumberedOutput.Continuity c = NumberedOutput.check(source.console(), target.console());
      while (c.targetLines() < 2 && System.nanoTime() < deadline) {
        // Watching another process's output file: there is nothing to be woken by.
        Thread.sleep(POLL.toMillis());
        c = NumberedOutput.check(source.console(), target.console());
      }
      boolean running = target.qmp().execute("query-status", Map.of()).path("running").asBoolean();
      String diagnosis = c.continued() ? "" : diagnose(c, running);
      return new TargetProgress(
          running, c.continued(), c.lastSourceTick(), c.firstTargetTick(), diagnosis);
    }

    private String diagnose(NumberedOutput.Continuity c, boolean running) throws IOException {
      if (c.targetLines() > 0) {
        return "the numbered lines do not run on evenly across the switch: the source's last was "
            + c.lastSourceTick()
            + ", the target's first "
            + c.firstTargetTick();
      }
      String registers =
          target
              .qmp()
              .execute("human-monitor-command", Map.of("command-line", "info registers"))
              .asText();
      Map<String, Long> regs = registers(registers);
      long mie = regs.getOrDefault("mie", 0L);
      long mip = regs.getOrDefault("mip", 0L);
      String state =
          String.format(
              "target QEMU is %s but printed no numbered line within %s; its hart is at pc=%x"
                  + " with mie=%x mip=%x",
              running ? "running" : "not running",
              run.observeTarget(),
              regs.getOrDefault("pc", -1L),
              mie,
              mip);
      if ((mie & MIP_MTIP) != 0 && (mip & mie) == 0) {
        return state
            + ": it waits for the CLINT timer interrupt, which QEMU "
            + source.qmp().qemuVersion()
            + " does not re-arm on the target after an incoming migration";
      }
      return state;
    }
  }

  static Map<String, Long> registers(String infoRegisters) {
    Map<String, Long> regs = new HashMap<>();
    for (String line : infoRegisters.split("\n")) {
      Matcher m = REGISTER.matcher(line);
      if (m.matches()) {
        regs.putIfAbsent(m.group(1), Long.parseUnsignedLong(m.group(2), 16));
      }
    }
    return regs;
  }

  private static RamStats ram(JsonNode ram) {
    return new RamStats(
        ram.path("total").asLong(),
        ram.path("dirty-sync-count").asLong(),
        ram.path("normal").asLong(),
        ram.path("normal-bytes").asLong(),
        ram.path("duplicate").asLong(),
        ram.path("precopy-bytes").asLong(),
        ram.path("downtime-bytes").asLong(),
        ram.path("mbps").asDouble());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
