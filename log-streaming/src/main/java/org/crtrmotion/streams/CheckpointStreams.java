package org.crtrmotion.streams;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.CheckpointChunk;

/**
 * A checkpoint's byte stream, as vm-runtime's {@code CheckpointWriter} writes it, cut into frames
 * on the source and put back together on the target for {@code CheckpointReader.restore}. The bytes
 * are opaque here: the checkpoint format keeps its own magic, version and page encoding.
 */
public final class CheckpointStreams {
  /** Large enough that a StreamRef's per-element cost vanishes, small enough to pace well. */
  public static final int DEFAULT_CHUNK_BYTES = 256 << 10;

  private CheckpointStreams() {}

  /** Checkpoint bytes in any slicing, frames of about {@code chunkBytes} out. */
  public static Flow<ByteString, ByteString, NotUsed> encode(String streamId, int chunkBytes) {
    return Flow.<ByteString>create()
        .groupedWeighted(chunkBytes, bytes -> (long) bytes.size())
        .map(CheckpointStreams::join)
        .statefulMap(
            () -> new long[1],
            (offset, bytes) -> {
              FramePayload chunk = Payloads.checkpointChunk(offset[0], bytes);
              offset[0] += bytes.length;
              return Pair.create(offset, chunk);
            },
            offset -> Optional.empty())
        .via(FrameEncoder.flow(streamId));
  }

  /**
   * Frames in, the checkpoint's bytes out in order; a chunk that does not start where the last one
   * ended fails the stream, since frame numbering alone cannot see a sender that skipped bytes.
   */
  public static Flow<ByteString, ByteString, NotUsed> decode(String streamId) {
    return FrameDecoder.flow(streamId)
        .statefulMap(
            () -> new long[1],
            (expected, payload) -> {
              CheckpointChunk chunk = Payloads.checkpointChunkOf(payload);
              if (chunk.getOffset() != expected[0]) {
                throw new FrameException(
                    FrameException.Problem.GAP,
                    payload.sequence(),
                    "frame "
                        + payload.sequence()
                        + " carries checkpoint bytes from offset "
                        + chunk.getOffset()
                        + " but "
                        + expected[0]
                        + " arrived before it");
              }
              expected[0] += chunk.getData().size();
              return Pair.create(
                  expected, ByteString.fromArrayUnsafe(chunk.getData().toByteArray()));
            },
            expected -> Optional.empty());
  }

  private static byte[] join(List<ByteString> pieces) {
    ByteString all = ByteString.emptyByteString();
    for (ByteString piece : pieces) {
      all = all.concat(piece);
    }
    return all.toArrayUnsafe();
  }
}
