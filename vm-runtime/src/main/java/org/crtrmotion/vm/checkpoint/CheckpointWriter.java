package org.crtrmotion.vm.checkpoint;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.crtrmotion.vm.checkpoint.proto.End;
import org.crtrmotion.vm.checkpoint.proto.Frame;
import org.crtrmotion.vm.checkpoint.proto.Header;
import org.crtrmotion.vm.checkpoint.proto.Page;
import org.crtrmotion.vm.checkpoint.proto.PageBatch;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;

/**
 * Writes a checkpoint as a stream (see {@code checkpoint.proto}): the prefix, a header frame, the
 * state frame, page batches and an end frame. Safe to run on another thread while the machine runs
 * on, since the pages come from the copy-on-write snapshot.
 */
public final class CheckpointWriter {
  static final byte[] MAGIC = "CRTRCKP".getBytes(StandardCharsets.US_ASCII);
  static final int PAGES_PER_BATCH = 64;
  private static final byte[] ZERO_PAGE = new byte[GuestMemory.PAGE_SIZE];

  private CheckpointWriter() {}

  /** What went out. */
  public record Written(long bytes, long pages) {}

  public static Written write(Checkpoint c, OutputStream out) throws IOException {
    MemorySnapshot memory = c.memory();
    out.write(MAGIC);
    out.write(Checkpoint.FORMAT_VERSION);
    long bytes = MAGIC.length + 1;
    Header header =
        Header.newBuilder()
            .setFormatVersion(Checkpoint.FORMAT_VERSION)
            .setRamBase(memory.base())
            .setRamBytes(memory.size())
            .setInstructions(c.instructions())
            .setSinceGeneration(c.sinceGeneration())
            .setGeneration(c.generation())
            .build();
    bytes += Frames.write(out, header.toByteArray());
    bytes += Frames.write(out, c.state().toByteArray());
    byte[] buffer = new byte[GuestMemory.PAGE_SIZE];
    PageBatch.Builder batch = PageBatch.newBuilder();
    long pages = 0;
    long batches = 0;
    for (int i = 0; i < memory.pageCount(); i++) {
      if (!memory.includes(i)) {
        continue;
      }
      boolean present = memory.copyPage(i, buffer);
      boolean zero = !present || Arrays.equals(buffer, ZERO_PAGE);
      if (zero && c.isFull()) {
        continue; // a full restore starts from zero pages
      }
      ByteString data = zero ? ByteString.EMPTY : ByteString.copyFrom(buffer);
      batch.addPages(Page.newBuilder().setIndex(i).setData(data));
      pages++;
      if (batch.getPagesCount() == PAGES_PER_BATCH) {
        bytes += writeBatch(out, batch);
        batches++;
      }
    }
    if (batch.getPagesCount() > 0) {
      bytes += writeBatch(out, batch);
      batches++;
    }
    End end = End.newBuilder().setPageCount(pages).setBatchCount(batches).build();
    bytes += Frames.write(out, Frame.newBuilder().setEnd(end).build().toByteArray());
    out.flush();
    return new Written(bytes, pages);
  }

  private static int writeBatch(OutputStream out, PageBatch.Builder batch) throws IOException {
    int n = Frames.write(out, Frame.newBuilder().setPages(batch).build().toByteArray());
    batch.clear();
    return n;
  }
}
