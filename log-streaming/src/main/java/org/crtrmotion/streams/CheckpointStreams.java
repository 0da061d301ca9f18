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
  /**
   * Large enough that a StreamRef's per-element cost vanishes, small enough to pace well, and with
   * room under Artery's default maximum frame size (256 KiB) for a chunk that does not compress:
   * the transport drops a larger message and the StreamRef fails with a sequence gap.
   */
  public static final int DEFAULT_CHUNK_BYTES = 128 << 10;

  private CheckpointStreams() {}

  /**
   * Checkpoint bytes in any slicing, frames of at most about {@code chunkBytes} out. A piece larger
   * than a chunk (the writer hands over a whole 64-page batch at once) is cut first: an
   * incompressible frame above Artery's maximum frame size (256 KiB by default) would be dropped by
   * the transport and fail the StreamRef with a sequence gap.
   */
  public static Flow<ByteString, ByteString, NotUsed> encode(String streamId, int chunkBytes) {
    return Flow.<ByteString>create()
        .mapConcat(bytes -> slices(bytes, chunkBytes))
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

  private static List<ByteString> slices(ByteString bytes, int chunkBytes) {
    if (bytes.size() <= chunkBytes) {
      return List.of(bytes);
    }
    List<ByteString> out = new java.util.ArrayList<>(bytes.size() / chunkBytes + 1);
    for (int from = 0; from < bytes.size(); from += chunkBytes) {
      out.add(bytes.slice(from, Math.min(bytes.size(), from + chunkBytes)));
    }
    return out;
  }

  private static byte[] join(List<ByteString> pieces) {
    ByteString all = ByteString.emptyByteString();
    for (ByteString piece : pieces) {
      all = all.concat(piece);
    }
    return all.toArrayUnsafe();
  }
}
