package org.crtrmotion.actors.precopy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.FrameDecoder;
import org.crtrmotion.streams.FrameEncoder;
import org.crtrmotion.streams.FramePayload;
import org.crtrmotion.streams.PageBatches;
import org.crtrmotion.streams.Payloads;
import org.crtrmotion.streams.proto.StreamsProto;
import org.crtrmotion.vm.checkpoint.proto.MachineState;

/**
 * A whole pre-copy migration on one connection: streams one after the other, each with its own id,
 * sequence and END (so each is checked as PageBatches and the frame decoder check any stream):
 * {@code <migration>/state/0} (round 0's CPU and device state as one checkpoint chunk), then {@code
 * <migration>/pages/<n>} for each round, and after the freeze the last round and {@code
 * <migration>/state/final}. The receiving side builds the target's copy from them.
 */
public final class PrecopyStream {
  private PrecopyStream() {}

  public static String stateStream(String migrationId, boolean last) {
    return migrationId + (last ? "/state/final" : "/state/0");
  }

  public static String pagesStream(String migrationId, int round) {
    return migrationId + "/pages/" + round;
  }

  /** The frames of a state stream: the state as one chunk, then END. */
  public static Source<ByteString, NotUsed> stateFrames(String streamId, MachineState state) {
    return Source.lazySource(
            () -> {
              FrameEncoder encoder = new FrameEncoder(streamId);
              return Source.from(
                  List.of(
                      encoder.encode(Payloads.checkpointChunk(0, state.toByteArray())),
                      encoder.encodeEnd()));
            })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** The instruction count a saved state stands at. */
  public static long instructions(MachineState state) {
    return state.getMachine().getInstructionsBeforeReset() + state.getHart().getInstret();
  }

  /**
   * The target's side: frames in, into {@code copy}; completes when the stream ends; {@code rounds}
   * hears the count of page rounds applied after each. Page frames wait for the copy's memory
   * (built once round 0's state arrived and its VM started), one frame at a time, so a copy not yet
   * built holds the stream back.
   */
  public static Sink<ByteString, CompletionStage<Done>> into(
      String migrationId, PrecopyTarget copy, java.util.function.IntConsumer rounds) {
    Receiver receiver = new Receiver(migrationId, copy);
    receiver.onRound = rounds;
    return Flow.<ByteString>create()
        .mapAsync(1, receiver::accept)
        .toMat(Sink.ignore(), Keep.right());
  }

  /** One stream after the other; stream threads, one frame at a time. */
  private static final class Receiver {
    private final String migrationId;
    private final PrecopyTarget copy;
    private java.util.function.IntConsumer onRound = n -> {};
    private FrameDecoder decoder;
    private String streamId;
    private final ByteArrayOutputStream state = new ByteArrayOutputStream();
    private int rounds;

    Receiver(String migrationId, PrecopyTarget copy) {
      this.migrationId = migrationId;
      this.copy = copy;
    }

    CompletionStage<Done> accept(ByteString frame) throws Exception {
      if (decoder == null) {
        streamId = StreamsProto.StreamFrame.parseFrom(frame.toArray()).getStreamId();
        if (!streamId.startsWith(migrationId + "/")) {
          throw new IllegalStateException(
              "stream '" + streamId + "' does not belong to migration " + migrationId);
        }
        decoder = new FrameDecoder(streamId);
        state.reset();
      }
      FramePayload payload = decoder.decode(frame);
      switch (payload.kind()) {
        case PAGE_BATCH:
          return copy.memory()
              .thenApply(
                  memory -> {
                    PageBatches.applyBatch(payload, memory, new PageBatches.Applied(0, 0, 0));
                    return Done.getInstance();
                  });
        case CHECKPOINT_CHUNK:
          StreamsProto.CheckpointChunk chunk = Payloads.checkpointChunkOf(payload);
          if (chunk.getOffset() != state.size()) {
            throw new IllegalStateException(
                "stream '"
                    + streamId
                    + "' chunk at "
                    + chunk.getOffset()
                    + ", expected "
                    + state.size());
          }
          chunk.getData().writeTo(state);
          return CompletableFuture.completedFuture(Done.getInstance());
        case END:
          decoder = null;
          ended();
          return CompletableFuture.completedFuture(Done.getInstance());
        default:
          throw new IllegalStateException(
              "stream '" + streamId + "' carries a " + payload.kind() + " frame");
      }
    }

    private void ended() throws Exception {
      if (streamId.equals(stateStream(migrationId, false))) {
        copy.begin(MachineState.parseFrom(state.toByteArray()));
      } else if (streamId.equals(stateStream(migrationId, true))) {
        MachineState last = MachineState.parseFrom(state.toByteArray());
        copy.finish(last, instructions(last));
      } else {
        onRound.accept(++rounds);
      }
    }
  }
}
