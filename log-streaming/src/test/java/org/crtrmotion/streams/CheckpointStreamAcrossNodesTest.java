package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.state.StateDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A running guest's checkpoint crosses to another node and is restored there. */
class CheckpointStreamAcrossNodesTest {
  private static final String STREAM = "vm-9/checkpoint";
  private static final Path MEMORY_ELF = Path.of("../native/guests/images/memory.elf");

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
  void checkpointOfAMemoryGuestRestoresOnTheOtherNodeToTheDigestAtTheCheckpoint() throws Exception {
    Machine source =
        Machine.boot(
            MachineConfig.defaults().withRamBytes(32L << 20),
            ElfLoader.read(MEMORY_ELF),
            new ByteArrayOutputStream()::write);
    source.run(300_000);
    StateDigest atCheckpoint = source.digest();
    Checkpoint checkpoint = source.checkpoint();

    String name = "checkpoint";
    CompletableFuture<StateDigest> restored =
        nodes.receiveOnReceiver(
            name,
            frames -> {
              InputStream in =
                  frames
                      .via(CheckpointStreams.decode(STREAM))
                      .runWith(StreamConverters.asInputStream(TwoNodes.PATIENCE), nodes.receiver);
              return CompletableFuture.supplyAsync(
                  () -> {
                    try (in) {
                      return CheckpointReader.restore(in, null, b -> {}).digest();
                    } catch (Exception e) {
                      throw new CompletionException(e);
                    }
                  });
            });
    Pair<OutputStream, SourceRef<ByteString>> sending =
        StreamConverters.asOutputStream(TwoNodes.PATIENCE)
            .via(CheckpointStreams.encode(STREAM, CheckpointStreams.DEFAULT_CHUNK_BYTES))
            .toMat(StreamRefs.sourceRef(), Keep.both())
            .run(nodes.sender);
    nodes.offerFromSender(name, sending.second());
    // The guest runs on while its checkpoint streams out of the copy-on-write snapshot.
    CompletableFuture<CheckpointWriter.Written> written =
        CompletableFuture.supplyAsync(
            () -> {
              try (OutputStream out = sending.first();
                  checkpoint) {
                return CheckpointWriter.write(checkpoint, out);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    source.run(200_000);

    assertEquals(atCheckpoint, restored.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertTrue(written.get(TwoNodes.PATIENCE.toSeconds(), TimeUnit.SECONDS).pages() > 0);
  }
}
