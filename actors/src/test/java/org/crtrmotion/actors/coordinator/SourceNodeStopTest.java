package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Phase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A source node that ends while its CR/TR migration transfers gives back the trace's spill
 * directory: found by the fault simulator, seed 36 (the source node lost in FREEZE left {@code
 * crtr-spill-<migration>} behind in the temporary directory).
 */
class SourceNodeStopTest {
  private static final long PATIENCE_SECONDS = MigrationNode.PATIENCE.toSeconds();

  /** Never freezes by itself, so the source is mid-transfer when its node ends. */
  private static final MigrationParameters STAYS_IN_TRANSFER =
      CrtrMigrationTest.PARAMETERS
          .withDowntimeLimit(Duration.ofMillis(1))
          .withMaxRounds(1_000_000)
          .withNonConvergencePolicy(NonConvergencePolicy.ABORT)
          .withConvergenceWindow(1_000_000);

  private MigrationNode b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
  }

  private static List<Path> spillDirectoriesOf(String migrationId) throws Exception {
    String prefix = "crtr-spill-" + migrationId.replaceAll("[^\\w-]", "_");
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void seed36_aSourceNodeEndingMidTransferLeavesNoSpillDirectory() throws Exception {
    List<MigrationNode> nodes = MigrationNode.cluster(CrtrMigrationTest.SETTINGS, "a", "b");
    MigrationNode a = nodes.get(0);
    b = nodes.get(1);
    String vmId = a.startVm("memory.elf", CrtrMigrationTest.memoryGuest());
    a.register(vmId);
    LinkedBlockingQueue<MigrationEvent.ProgressUpdate> updates = new LinkedBlockingQueue<>();
    MigrationClient.Migration m = a.client.start(vmId, "b", STAYS_IN_TRANSFER, updates::add);
    String id = m.migrationId().toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    while (true) {
      MigrationEvent.ProgressUpdate u = updates.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
      assertTrue(u != null, "no progress within " + PATIENCE_SECONDS + " s");
      if (u.phase() == Phase.TRANSFER && u.round() >= 1) {
        break;
      }
    }
    assertEquals(1, spillDirectoriesOf(id).size(), "the trace spills into its own directory");

    a.close(); // the node's actor system ends: its coordinator stops without a report

    assertFalse(
        spillDirectoriesOf(id).stream().anyMatch(Files::exists),
        "left behind: " + spillDirectoriesOf(id));
  }
}
