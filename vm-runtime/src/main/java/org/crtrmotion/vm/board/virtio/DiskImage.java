package org.crtrmotion.vm.board.virtio;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.crtrmotion.vm.checkpoint.proto.OverlayBlock;
import org.crtrmotion.vm.checkpoint.proto.VirtioBlkState;
import org.crtrmotion.vm.state.StateHasher;

/**
 * A disk: a base image the host holds read-only, and a sparse copy-on-write overlay of 4 KiB blocks
 * that takes every guest write. The overlay is VM state (checkpointed, digested, migrated); the
 * base is identified by its length and XXH3-64 hash, so a restore on another host can check it has
 * the same image. The base file is never written. It outlives a board: a guest reset keeps the
 * disk.
 */
public final class DiskImage implements AutoCloseable {
  public static final int BLOCK = 4096;
  public static final int SECTOR = 512;
  private static final byte[] ZERO = new byte[BLOCK];

  private final FileChannel base; // null for an empty disk of baseBytes zeros
  private final long baseBytes;
  private final long baseHash;
  private final TreeMap<Long, Block> overlay = new TreeMap<>(); // block index -> contents
  // The memory generation in progress (GuestMemory.generation) of the machine the disk is plugged
  // into: every overlay write is stamped with it, as pages are, so that an incremental checkpoint
  // carries only the blocks written since its base.
  private IntSupplier generation = () -> 1;
  // The newest memory generation whose writes a restored overlay is known to reflect (see
  // VirtioBlkState.overlay_generation): a delta must follow on from it. 0: none restored.
  private long restoredUpTo;

  /** An overlay block: its contents and the memory generation of its last write. */
  private static final class Block {
    final byte[] data;
    int writtenIn;

    Block(byte[] data, int writtenIn) {
      this.data = data;
      this.writtenIn = writtenIn;
    }
  }

  private DiskImage(FileChannel base, long baseBytes, long baseHash) {
    this.base = base;
    this.baseBytes = baseBytes;
    this.baseHash = baseHash;
  }

  /** Opens {@code file} read-only as the base and hashes it. */
  public static DiskImage open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = ch.size();
      if (size % SECTOR != 0 || size == 0) {
        throw new IOException(
            file + ": a disk image must be a non-empty multiple of 512 bytes, not " + size);
      }
      return new DiskImage(ch, size, hash(ch, size));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A disk of {@code bytes} zeros with no file behind it (tests, scratch disks). */
  public static DiskImage blank(long bytes) {
    if (bytes <= 0 || bytes % SECTOR != 0) {
      throw new IllegalArgumentException("a disk must be a positive multiple of 512 bytes");
    }
    HashStream64 h = Hashing.xxh3_64().hashStream();
    for (long done = 0; done < bytes; done += Math.min(BLOCK, bytes - done)) {
      h.putBytes(ZERO, 0, (int) Math.min(BLOCK, bytes - done));
    }
    return new DiskImage(null, bytes, h.getAsLong());
  }

  private static long hash(FileChannel ch, long size) throws IOException {
    HashStream64 h = Hashing.xxh3_64().hashStream();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long at = 0;
    while (at < size) {
      buf.clear();
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("the disk image shrank while it was being hashed");
      }
      h.putBytes(buf.array(), 0, n);
      at += n;
    }
    return h.getAsLong();
  }

  public long bytes() {
    return baseBytes;
  }

  public long baseHash() {
    return baseHash;
  }

  /** Blocks the guest has written. */
  public int overlayBlocks() {
    return overlay.size();
  }

  /** Reads {@code length} bytes at {@code offset}; the caller checks the range. */
  public void read(long offset, byte[] into, int from, int length) {
    int done = 0;
    while (done < length) {
      long at = offset + done;
      long block = at / BLOCK;
      int in = (int) (at % BLOCK);
      int n = Math.min(length - done, BLOCK - in);
      Block own = overlay.get(block);
      if (own != null) {
        System.arraycopy(own.data, in, into, from + done, n);
      } else {
        readBase(at, into, from + done, n);
      }
      done += n;
    }
  }

  /** Writes into the overlay, copying each touched block from the base first. */
  public void write(long offset, byte[] data, int from, int length) {
    int done = 0;
    while (done < length) {
      long at = offset + done;
      long block = at / BLOCK;
      int in = (int) (at % BLOCK);
      int n = Math.min(length - done, BLOCK - in);
      Block own = overlay.get(block);
      if (own == null) {
        byte[] contents = new byte[BLOCK];
        readBase(block * BLOCK, contents, 0, (int) Math.min(BLOCK, baseBytes - block * BLOCK));
        own = new Block(contents, 0);
        overlay.put(block, own);
      }
      own.writtenIn = generation.getAsInt();
      System.arraycopy(data, from + done, own.data, in, n);
      done += n;
    }
  }

  private void readBase(long offset, byte[] into, int from, int length) {
    if (base == null) {
      Arrays.fill(into, from, from + length, (byte) 0);
      return;
    }
    ByteBuffer buf = ByteBuffer.wrap(into, from, length);
    try {
      while (buf.hasRemaining()) {
        if (base.read(buf, offset + (buf.position() - from)) < 0) {
          throw new IOException("the disk image is shorter than when it was opened");
        }
      }
    } catch (IOException e) {
      // The base is fixed and hashed; losing it mid-run is a host failure, not guest behaviour.
      throw new UncheckedIOException("reading the base disk image failed", e);
    }
  }

  void digestInto(StateHasher h) {
    h.section("disk").putLong(baseBytes).putLong(baseHash).putInt(overlay.size());
    for (Map.Entry<Long, Block> e : overlay.entrySet()) {
      h.putLong(e.getKey()).putBytes(e.getValue().data, 0, BLOCK);
    }
  }

  /** Stamps overlay writes from now on with {@code memoryGeneration}'s generation in progress. */
  void followGenerations(IntSupplier memoryGeneration) {
    this.generation = memoryGeneration;
  }

  /** The whole overlay. */
  VirtioBlkState save() {
    return save(0);
  }

  /**
   * The overlay blocks written in memory generation {@code sinceGeneration} or later, or the whole
   * overlay when it is 0 or less: an incremental checkpoint carries only what its base lacks.
   */
  VirtioBlkState save(int sinceGeneration) {
    int since = Math.max(0, sinceGeneration);
    VirtioBlkState.Builder s =
        VirtioBlkState.newBuilder()
            .setBaseBytes(baseBytes)
            .setBaseXxh3(baseHash)
            .setOverlayGeneration(generation.getAsInt());
    if (since > 0) {
      s.setOverlaySince(since).setOverlayTotal(overlay.size());
    }
    for (Map.Entry<Long, Block> e : overlay.entrySet()) {
      if (e.getValue().writtenIn >= since) {
        s.addOverlay(
            OverlayBlock.newBuilder()
                .setIndex(e.getKey())
                .setData(ByteString.copyFrom(e.getValue().data)));
      }
    }
    return s.build();
  }

  /**
   * Takes the saved overlay: a whole one replaces this one, a delta goes onto it. Refuses
   * (IllegalArgumentException) a state taken over another base image, and a delta that does not
   * follow on from the overlay restored before (a checkpoint between them was not applied).
   */
  void restore(VirtioBlkState s) {
    if (s.getBaseBytes() != baseBytes || s.getBaseXxh3() != baseHash) {
      throw new IllegalArgumentException(
          String.format(
              "the checkpoint's disk was over a base image of %d bytes with XXH3 %016x, this host's"
                  + " is %d bytes with XXH3 %016x",
              s.getBaseBytes(), s.getBaseXxh3(), baseBytes, baseHash));
    }
    TreeMap<Long, Block> blocks = blocks(s);
    if (s.getOverlaySince() == 0) {
      overlay.clear();
    } else {
      checkFollowsOn(s, blocks);
    }
    overlay.putAll(blocks);
    restoredUpTo = s.getOverlayGeneration();
  }

  private TreeMap<Long, Block> blocks(VirtioBlkState s) {
    long count = (baseBytes + BLOCK - 1) / BLOCK;
    // Restoring is not a guest write: stamped like a page a restore writes (GuestMemory.applyPage).
    int stamp = generation.getAsInt();
    TreeMap<Long, Block> blocks = new TreeMap<>();
    for (OverlayBlock b : s.getOverlayList()) {
      if (b.getIndex() < 0 || b.getIndex() >= count || b.getData().size() != BLOCK) {
        throw new IllegalArgumentException(
            "overlay block " + b.getIndex() + " is outside the disk or not 4096 bytes");
      }
      blocks.put(b.getIndex(), new Block(b.getData().toByteArray(), stamp));
    }
    return blocks;
  }

  /**
   * A delta carries the writes from generation {@code since} on; the overlay here reflects those up
   * to {@code restoredUpTo}: a gap between them means a checkpoint was skipped, and the disk would
   * silently miss its writes.
   */
  private void checkFollowsOn(VirtioBlkState s, TreeMap<Long, Block> blocks) {
    long since = s.getOverlaySince();
    if (restoredUpTo == 0 || since > restoredUpTo + 1) {
      throw new IllegalArgumentException(
          String.format(
              "the disk overlay delta holds the writes since generation %d, but the overlay here"
                  + " reflects the writes up to generation %d only: a checkpoint between them was"
                  + " not applied",
              since, restoredUpTo));
    }
    long total = overlay.size();
    for (Long index : blocks.keySet()) {
      if (!overlay.containsKey(index)) {
        total++;
      }
    }
    if (total != s.getOverlayTotal()) {
      throw new IllegalArgumentException(
          String.format(
              "the disk overlay delta since generation %d leaves %d blocks here, its source had"
                  + " %d: a checkpoint before it was not applied",
              since, total, s.getOverlayTotal()));
    }
  }

  @Override
  public void close() throws IOException {
    if (base != null) {
      base.close();
    }
  }
}
