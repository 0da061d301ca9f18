package org.crtrmotion.streams;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.crtrmotion.streams.proto.StreamsProto;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;

/**
 * Pre-copy's page rounds as streams. A round is a {@link MemorySnapshot} taken on the VM thread
 * between runs: round 0 with {@code GuestMemory.share()} (every page), each later round with {@code
 * share(generation)} of the round before (only the pages written since). Its pages are read here
 * from the copy-on-write snapshot while the guest runs on, so each is the page as it was at the
 * snapshot, never half-written. A page that is all zeros travels only as an index in a zero run,
 * which also clears a page on the target that the guest cleared on the source.
 *
 * <p>One stream per round; the receiving sink writes each page into the target's memory through its
 * normal write path. The target machine must not run meanwhile: {@link GuestMemory} is not
 * thread-safe.
 */
public final class PageBatches {
  /** What a round's sink wrote: frames, pages with data, pages cleared. */
  public record Applied(long frames, long pages, long zeroPages) {}

  private PageBatches() {}

  /**
   * The frames of one round, {@code pagesPerBatch} pages to a frame (at most 16 so that a frame
   * that does not compress stays below the transport's maximum frame size). The stream owns the
   * snapshot: it is closed, ending the copy-on-write sharing, when the stream ends either way.
   */
  public static Source<org.apache.pekko.util.ByteString, NotUsed> frames(
      String streamId, MemorySnapshot snapshot, int pagesPerBatch) {
    if (pagesPerBatch < 1 || pagesPerBatch > 16) {
      throw new IllegalArgumentException("a page batch holds 1 to 16 pages, not " + pagesPerBatch);
    }
    return Source.fromIterator(() -> new Batches(snapshot, pagesPerBatch))
        .watchTermination(
            (notUsed, done) -> {
              done.whenComplete((d, e) -> snapshot.close());
              return notUsed;
            })
        .via(FrameEncoder.flow(streamId));
  }

  /** Writes each batch of stream {@code streamId} into {@code target}; completes after END. */
  public static Sink<org.apache.pekko.util.ByteString, CompletionStage<Applied>> applyTo(
      String streamId, GuestMemory target) {
    return FrameDecoder.flow(streamId)
        .toMat(
            Sink.fold(new Applied(0, 0, 0), (applied, payload) -> apply(payload, target, applied)),
            Keep.right());
  }

  /**
   * Writes one decoded {@code PAGE_BATCH} payload into {@code target}, for a receiver that decodes
   * several streams itself (pre-copy's rounds one after the other on one connection); returns
   * {@code before} plus this batch.
   */
  public static Applied applyBatch(FramePayload payload, GuestMemory target, Applied before) {
    return apply(payload, target, before);
  }

  private static Applied apply(FramePayload payload, GuestMemory target, Applied before) {
    StreamsProto.PageBatch batch = Payloads.pagesOf(payload);
    long pages = 0;
    long zeros = 0;
    for (StreamsProto.Page p : batch.getPagesList()) {
      int index = checkedIndex(payload, p.getIndex(), target);
      if (p.getData().size() != GuestMemory.PAGE_SIZE) {
        throw malformed(payload, "page " + index + " has " + p.getData().size() + " bytes");
      }
      target.applyPage(index, p.getData().toByteArray());
      pages++;
    }
    for (StreamsProto.ZeroRun run : batch.getZeroRunsList()) {
      int first = checkedIndex(payload, run.getFirstIndex(), target);
      checkedIndex(payload, run.getFirstIndex() + run.getCount() - 1, target);
      for (int i = 0; i < run.getCount(); i++) {
        target.applyPage(first + i, null);
      }
      zeros += run.getCount();
    }
    return new Applied(before.frames() + 1, before.pages() + pages, before.zeroPages() + zeros);
  }

  private static int checkedIndex(FramePayload payload, long index, GuestMemory target) {
    if (index < 0 || index >= target.pageCount()) {
      throw malformed(
          payload,
          "names page "
              + Long.toUnsignedString(index)
              + ", outside the target's "
              + target.pageCount()
              + " pages");
    }
    return (int) index;
  }

  private static FrameException malformed(FramePayload payload, String what) {
    return new FrameException(
        FrameException.Problem.MALFORMED,
        payload.sequence(),
        "frame " + payload.sequence() + " " + what);
  }

  /** The snapshot's pages, read one batch at a time as the stream asks. */
  private static final class Batches implements Iterator<FramePayload> {
    private final MemorySnapshot snapshot;
    private final int pagesPerBatch;
    private final byte[] buffer = new byte[GuestMemory.PAGE_SIZE];
    private int nextIndex;

    Batches(MemorySnapshot snapshot, int pagesPerBatch) {
      this.snapshot = snapshot;
      this.pagesPerBatch = pagesPerBatch;
      this.nextIndex = nextIncluded(0);
    }

    private int nextIncluded(int from) {
      for (int i = from; i < snapshot.pageCount(); i++) {
        if (snapshot.includes(i)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public boolean hasNext() {
      return nextIndex >= 0;
    }

    @Override
    public FramePayload next() {
      if (nextIndex < 0) {
        throw new NoSuchElementException();
      }
      StreamsProto.PageBatch.Builder b = StreamsProto.PageBatch.newBuilder();
      long runStart = -1;
      long runEnd = -1; // exclusive
      int taken = 0;
      // Zero pages cost nothing against the batch: only pages with data fill a frame.
      while (nextIndex >= 0 && taken < pagesPerBatch) {
        int i = nextIndex;
        boolean zero = !snapshot.copyPage(i, buffer) || isZero(buffer);
        if (zero) {
          if (runEnd != i) {
            addRun(b, runStart, runEnd);
            runStart = i;
          }
          runEnd = i + 1;
        } else {
          b.addPagesBuilder().setIndex(i).setData(ByteString.copyFrom(buffer));
          taken++;
        }
        nextIndex = nextIncluded(i + 1);
      }
      addRun(b, runStart, runEnd);
      return FramePayload.of(FrameKind.PAGE_BATCH, b.build().toByteArray());
    }

    private static void addRun(StreamsProto.PageBatch.Builder b, long start, long end) {
      if (start >= 0) {
        b.addZeroRunsBuilder().setFirstIndex(start).setCount(end - start);
      }
    }

    private static boolean isZero(byte[] page) {
      for (byte x : page) {
        if (x != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
