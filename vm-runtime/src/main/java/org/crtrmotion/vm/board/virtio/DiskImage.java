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
  private final TreeMap<Long, byte[]> overlay = new TreeMap<>(); // block index -> contents

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
      byte[] own = overlay.get(block);
      if (own != null) {
        System.arraycopy(own, in, into, from + done, n);
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
      byte[] own = overlay.get(block);
      if (own == null) {
        own = new byte[BLOCK];
        readBase(block * BLOCK, own, 0, (int) Math.min(BLOCK, baseBytes - block * BLOCK));
        overlay.put(block, own);
      }
      System.arraycopy(data, from + done, own, in, n);
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
    for (Map.Entry<Long, byte[]> e : overlay.entrySet()) {
      h.putLong(e.getKey()).putBytes(e.getValue(), 0, BLOCK);
    }
  }

  VirtioBlkState save() {
    VirtioBlkState.Builder s =
        VirtioBlkState.newBuilder().setBaseBytes(baseBytes).setBaseXxh3(baseHash);
    for (Map.Entry<Long, byte[]> e : overlay.entrySet()) {
      s.addOverlay(
          OverlayBlock.newBuilder()
              .setIndex(e.getKey())
              .setData(ByteString.copyFrom(e.getValue())));
    }
    return s.build();
  }

  /**
   * Replaces the overlay with the saved one; refuses (IllegalArgumentException) a state taken over
   * another base image.
   */
  void restore(VirtioBlkState s) {
    if (s.getBaseBytes() != baseBytes || s.getBaseXxh3() != baseHash) {
      throw new IllegalArgumentException(
          String.format(
              "the checkpoint's disk was over a base image of %d bytes with XXH3 %016x, this host's"
                  + " is %d bytes with XXH3 %016x",
              s.getBaseBytes(), s.getBaseXxh3(), baseBytes, baseHash));
    }
    long blocks = (baseBytes + BLOCK - 1) / BLOCK;
    TreeMap<Long, byte[]> restored = new TreeMap<>();
    for (OverlayBlock b : s.getOverlayList()) {
      if (b.getIndex() >= blocks || b.getData().size() != BLOCK) {
        throw new IllegalArgumentException(
            "overlay block " + b.getIndex() + " is outside the disk or not 4096 bytes");
      }
      restored.put(b.getIndex(), b.getData().toByteArray());
    }
    overlay.clear();
    overlay.putAll(restored);
  }

  @Override
  public void close() throws IOException {
    if (base != null) {
      base.close();
    }
  }
}
