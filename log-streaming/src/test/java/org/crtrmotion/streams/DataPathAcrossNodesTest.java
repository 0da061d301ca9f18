package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.machine.StreamingReplay;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole CR/TR data path without the protocol, between two cluster nodes: a running guest's
 * checkpoint streams to node B and is restored there; the source runs on, recording in host time,
 * and its trace streams to B while it runs; B replays as segments arrive; the source stops at
 * instruction F and finishes the trace; B reaches F with the same digest.
 */
class DataPathAcrossNodesTest {
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");
  private static final MachineConfig CONFIG =
      MachineConfig.defaults()
          .withRamBytes(32L << 20)
          .withTimeMode(TimeMode.HOST)
          .withBootargs("wss=2M rate=64 period_us=300 ticks=1000000 report=100");
  private static final long CHECKPOINT_AT = 400_000;
  private static final long CHUNK = 200_000;

  private static final int CHUNKS = 20;

  private static TwoNodes nodes;

  @BeforeAll
  static void startNodes() {
    nodes = new TwoNodes();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    nodes.close();
  }

  @Test
  void targetReplaysTheTraceWhileTheSourceRunsAndReachesItsDigestAtTheFreezePoint()
      throws Exception {
    Machine source =
        Machine.boot(CONFIG, ElfLoader.read(MEMORY_ELF), new ByteArrayOutputStream()::write);
    assertEquals(StopReason.INSTRUCTION_LIMIT, source.run(CHECKPOINT_AT).reason());
    Checkpoint checkpoint = source.checkpoint();
    long start = source.instructionsRetired();
    RecorderSource trace = RecorderSource.start(start, 8);
    source.record(trace.recorder());
    source.restartOutputDigest();

    // Node B: restore from the checkpoint frames, feed the trace frames, replay on its own thread.
    GrowingFeed feed = new GrowingFeed(start, 4_096);
    long halfway = start + CHUNK * CHUNKS / 2;
    CountDownLatch replayedHalfway = new CountDownLatch(1);
    AtomicInteger steps = new AtomicInteger();
    CompletableFuture<Machine> restored =
        nodes.receiveOnReceiver(
            "checkpoint",
            frames ->
                frames.runWith(
                    CheckpointTransfer.restore("vm-1/checkpoint", null, b -> {}, TwoNodes.PATIENCE),
                    nodes.receiver));
    CompletableFuture<TraceStreams.Receipt> received =
        nodes.receiveOnReceiver(
            "trace",
            frames ->
                frames.runWith(ReplayFeedSink.into("vm-1/trace", start, feed), nodes.receiver));
    ExecutorService vmThreadOfB = Executors.newSingleThreadExecutor();
    CompletableFuture<Machine> replayed =
        restored.thenApplyAsync(
            target -> {
              StreamingReplay replay = new StreamingReplay(target, feed);
              try {
                StreamingReplay.Step step;
                do {
                  step = replay.runToCovered();
                  steps.incrementAndGet();
                  if (step.instructions() >= halfway) {
                    replayedHalfway.countDown();
                  }
                } while (!step.traceEnded() && !step.stoppedEarly());
                assertEquals(
                    StopReason.INSTRUCTION_LIMIT, step.result().reason(), step.result().detail());
                return target;
              } catch (InterruptedException e) {
                throw new CompletionException(e);
              }
            },
            vmThreadOfB);

    // Node A: offer both streams, then run on, recording.
    nodes.offerFromSender(
        "checkpoint",
        CheckpointTransfer.frames(
                "vm-1/checkpoint",
                checkpoint,
                CheckpointStreams.DEFAULT_CHUNK_BYTES,
                TwoNodes.PATIENCE)
            .runWith(StreamRefs.sourceRef(), nodes.sender));
    nodes.offerFromSender(
        "trace",
        trace
            .source()
            .via(TraceStreams.encodeAsAvailable("vm-1/trace", 4))
            .runWith(StreamRefs.sourceRef(), nodes.sender));
    for (int i = 1; i <= CHUNKS; i++) {
      if (i % 3 == 0) {
        source.consoleInput(new byte[] {'k', (byte) i});
      }
      RunResult r = source.run(start + CHUNK * i);
      assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason(), r.detail());
      trace.coverTo(source.instructionsRetired());
      if (i == CHUNKS / 2 + 1) {
        // B must replay past the middle while the source has not finished: replay as it arrives.
        assertTrue(
            replayedHalfway.await(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS),
            () ->
                "B replayed "
                    + steps.get()
                    + " steps; restored "
                    + restored
                    + ", replay "
                    + replayed);
      }
    }
    long freeze = source.instructionsRetired();
    trace.finish(freeze);
    StateDigest atFreeze = source.digest();

    Machine target = replayed.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    TraceStreams.Receipt receipt = received.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    vmThreadOfB.shutdown();

    assertEquals(start + CHUNK * CHUNKS, freeze);
    assertEquals(freeze, target.instructionsRetired());
    assertEquals(atFreeze, target.digest());
    assertEquals(source.outputDigest(), target.outputDigest());
    assertTrue(receipt.finished());
    assertTrue(receipt.events() > 0, "host time gives the guest real inputs to record");
    System.out.printf(
        "data path: checkpoint at %,d, freeze at %,d, %,d events in %,d segments / %,d frames;"
            + " B replayed in %d steps; source waited %d times (%.1f ms)%n",
        start,
        freeze,
        receipt.events(),
        receipt.segments(),
        receipt.frames(),
        steps.get(),
        trace.waits(),
        trace.waitedNanos() / 1e6);
  }
}
