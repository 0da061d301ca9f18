package org.crtrmotion.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointFormatException;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;

/**
 * A checkpoint as a stream, both ends: on the source, the frames of a copy-on-write {@link
 * Checkpoint} written while the guest runs on; on the target, a sink that restores a {@link
 * Machine} from the frames as they arrive. vm-runtime's writer and reader work on blocking streams,
 * so each runs on Pekko's blocking-IO dispatcher, never on the VM thread or the stream's own.
 *
 * <p>The VM thread only takes the checkpoint ({@code Machine.checkpoint()}, a pause of copying CPU
 * and device state and sharing pages); the pages are read here from the snapshot, which gets a copy
 * of a page only when the guest first writes it.
 */
public final class CheckpointTransfer {
  private static final String BLOCKING = "pekko.actor.default-blocking-io-dispatcher";

  private CheckpointTransfer() {}

  /**
   * The frames of {@code checkpoint}, about {@code chunkBytes} each. The source owns the
   * checkpoint: it closes it (ending the sharing) once written. Materialises the writer's counts. A
   * write stalled by backpressure for longer than {@code stallLimit} fails.
   */
  public static Source<ByteString, CompletionStage<CheckpointWriter.Written>> frames(
      String streamId, Checkpoint checkpoint, int chunkBytes, Duration stallLimit) {
    return Source.fromMaterializer(
            (materializer, attributes) ->
                StreamConverters.asOutputStream(stallLimit)
                    .mapMaterializedValue(
                        out ->
                            CompletableFuture.supplyAsync(
                                () -> write(checkpoint, out), blocking(materializer)))
                    .via(CheckpointStreams.encode(streamId, chunkBytes)))
        .mapMaterializedValue(started -> started.thenCompose(written -> written));
  }

  private static CheckpointWriter.Written write(Checkpoint checkpoint, OutputStream out) {
    // A failed write closes the stream early: the receiver's reader sees no End frame and says so.
    try (out;
        checkpoint) {
      return CheckpointWriter.write(checkpoint, out);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /**
   * Frames in, a restored machine out: completes with the machine, whose digest is the source's at
   * the checkpoint, or fails with what was wrong (a frame problem, a cut or invalid checkpoint). A
   * read waiting longer than {@code stallLimit} for the next bytes fails.
   *
   * @param plan what a guest-requested reset reloads, or null (see {@code Machine.restore})
   */
  public static Sink<ByteString, CompletionStage<Machine>> restore(
      String streamId, BootPlan plan, Uart16550.Output console, Duration stallLimit) {
    return restore(streamId, plan, console, VirtioAttachments.none(), stallLimit);
  }

  /**
   * As {@link #restore(String, BootPlan, Uart16550.Output, Duration)}, onto a board with these
   * virtio devices (the checkpoint's device state, a disk's overlay with it, is loaded into them).
   */
  public static Sink<ByteString, CompletionStage<Machine>> restore(
      String streamId,
      BootPlan plan,
      Uart16550.Output console,
      VirtioAttachments devices,
      Duration stallLimit) {
    return Sink.fromMaterializer(
            (materializer, attributes) ->
                CheckpointStreams.decode(streamId)
                    .toMat(StreamConverters.asInputStream(stallLimit), Keep.right())
                    .mapMaterializedValue(
                        in ->
                            CompletableFuture.supplyAsync(
                                () -> read(in, plan, console, devices), blocking(materializer))))
        .mapMaterializedValue(started -> started.thenCompose(machine -> machine));
  }

  private static Machine read(
      InputStream in, BootPlan plan, Uart16550.Output console, VirtioAttachments devices) {
    try (in) {
      return CheckpointReader.restore(in, plan, console, devices);
    } catch (IOException | CheckpointFormatException e) {
      throw new CompletionException(e);
    }
  }

  private static Executor blocking(Materializer materializer) {
    return materializer.system().dispatchers().lookup(BLOCKING);
  }
}
