package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.state.StateDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CheckpointTransferTest {
  private static final String STREAM = "vm-3/checkpoint";
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "checkpoint-transfer");
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Machine boot() throws Exception {
    Machine m =
        Machine.boot(
            MachineConfig.defaults().withRamBytes(32L << 20), ElfLoader.read(MEMORY_ELF), b -> {});
    m.run(300_000);
    return m;
  }

  @Test
  void theRestoringSinkBuildsTheMachineAtTheCheckpointWhileTheSourceRunsOn() throws Exception {
    Machine source = boot();
    StateDigest atCheckpoint = source.digest();
    Pair<CompletionStage<CheckpointWriter.Written>, CompletionStage<Machine>> running =
        CheckpointTransfer.frames(STREAM, source.checkpoint(), 64 << 10, PATIENCE)
            .toMat(CheckpointTransfer.restore(STREAM, null, b -> {}, PATIENCE), Keep.both())
            .run(system);
    source.run(600_000); // writes reach pages the snapshot still shares

    Machine restored = running.second().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(atCheckpoint, restored.digest());
    assertTrue(running.first().toCompletableFuture().get(30, TimeUnit.SECONDS).pages() > 0);
  }

  @Test
  void aCheckpointStreamCutShortFailsTheRestoreSayingWhere() throws Exception {
    CompletableFuture<Machine> restored =
        CheckpointTransfer.frames(STREAM, boot().checkpoint(), 16 << 10, PATIENCE)
            .take(3)
            .runWith(CheckpointTransfer.restore(STREAM, null, b -> {}, PATIENCE), system)
            .toCompletableFuture();

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> restored.get(30, TimeUnit.SECONDS));
    assertTrue(
        String.valueOf(failed.getCause()).contains("ended after 3 frames without its END frame"),
        String.valueOf(failed.getCause()));
  }

  @Test
  void aPieceLargerThanAChunkIsCutSoThatNoFrameOutgrowsIt() throws Exception {
    byte[] incompressible = new byte[1 << 20];
    new Random(5).nextBytes(incompressible);
    int chunk = 64 << 10;

    List<ByteString> frames =
        Source.single(ByteString.fromArray(incompressible))
            .via(CheckpointStreams.encode(STREAM, chunk))
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    ByteString back =
        Source.from(frames)
            .via(CheckpointStreams.decode(STREAM))
            .runFold(ByteString.emptyByteString(), ByteString::concat, system)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    assertEquals(ByteString.fromArray(incompressible), back);
    for (ByteString frame : frames) {
      assertTrue(frame.size() < chunk + 256, "a frame of " + frame.size() + " bytes");
    }
  }
}
