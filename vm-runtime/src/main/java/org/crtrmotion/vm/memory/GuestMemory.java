package org.crtrmotion.vm.memory;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;

/**
 * Guest RAM as 4 KiB pages allocated on first touch, with a dirty bitmap for pre-copy and a code
 * bitmap so that writes to pages holding decoded instructions can invalidate them.
 *
 * <p>Hot paths never come here for a page that is already dirty: the CPU caches write translations
 * only for dirty pages without code, and {@link #collectDirty()} tells it (through the {@link
 * WriteTracker}) to drop them.
 */
public final class GuestMemory implements Digestible {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  public static final long PAGE_MASK = PAGE_SIZE - 1;

  private final long base; // guest-physical address of the first byte
  private final long size; // bytes, a multiple of the page size
  private final byte[][] pages; // null = never touched, reads as zero
  private final long[] dirty; // one bit per page, set by every write since the last collect
  private final long[] code; // one bit per page holding decoded instructions
  private final long[] watched; // one bit per page whose CPU stores are reported (HTIF tohost)
  private final long[] shared; // one bit per page a snapshot may still share: copy before writing
  private final int[] writtenIn; // per page, the generation of its last noted write (0: never)
  private int generation = 1; // advanced by every snapshot and by startGeneration()
  private final List<MemorySnapshot> snapshots = new CopyOnWriteArrayList<>(); // not closed yet
  private WriteTracker tracker = WriteTracker.NONE;
  private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

  /** Told when cached write permissions and decoded code must be dropped. */
  public interface WriteTracker {
    WriteTracker NONE =
        new WriteTracker() {
          @Override
          public void codePageWritten(int pageIndex) {}

          @Override
          public void dirtyBitsCleared() {}
        };

    void codePageWritten(int pageIndex);

    void dirtyBitsCleared();
  }

  public GuestMemory(long base, long size) {
    if ((base & PAGE_MASK) != 0 || (size & PAGE_MASK) != 0 || size <= 0) {
      throw new IllegalArgumentException(
          "RAM base and size must be positive multiples of 4 KiB: base 0x"
              + Long.toHexString(base)
              + ", size "
              + size);
    }
    long pageCount = size >>> PAGE_SHIFT;
    if (pageCount > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("RAM size " + size + " bytes is too large");
    }
    this.base = base;
    this.size = size;
    this.pages = new byte[(int) pageCount][];
    this.dirty = new long[(int) ((pageCount + 63) >>> 6)];
    this.code = new long[dirty.length];
    this.watched = new long[dirty.length];
    this.shared = new long[dirty.length];
    this.writtenIn = new int[(int) pageCount];
  }

  public void setWriteTracker(WriteTracker tracker) {
    this.tracker = tracker == null ? WriteTracker.NONE : tracker;
  }

  public long base() {
    return base;
  }

  public long size() {
    return size;
  }

  public int pageCount() {
    return pages.length;
  }

  public boolean contains(long physicalAddress) {
    return physicalAddress - base >= 0 && physicalAddress - base < size;
  }

  /**
   * Index of the page holding {@code physicalAddress}; the caller has checked {@link #contains}.
   */
  public int pageIndex(long physicalAddress) {
    return (int) ((physicalAddress - base) >>> PAGE_SHIFT);
  }

  /** The page's backing array, allocated on first touch. */
  public byte[] page(int pageIndex) {
    byte[] p = pages[pageIndex];
    if (p == null) {
      p = new byte[PAGE_SIZE];
      pages[pageIndex] = p;
    }
    return p;
  }

  /** The page's array if it was ever touched, else null (a zero page). */
  public byte[] pageIfPresent(int pageIndex) {
    return pages[pageIndex];
  }

  public boolean isDirty(int pageIndex) {
    return (dirty[pageIndex >>> 6] & (1L << pageIndex)) != 0;
  }

  public boolean isCode(int pageIndex) {
    return (code[pageIndex >>> 6] & (1L << pageIndex)) != 0;
  }

  /** Records that the page holds decoded instructions: the next write to it is reported. */
  public void markCode(int pageIndex) {
    code[pageIndex >>> 6] |= 1L << pageIndex;
  }

  /** The decode cache of this page was dropped without a write (FENCE.I). */
  public void clearCode(int pageIndex) {
    code[pageIndex >>> 6] &= ~(1L << pageIndex);
  }

  public boolean isWatched(int pageIndex) {
    return (watched[pageIndex >>> 6] & (1L << pageIndex)) != 0;
  }

  /** CPU stores to this page always take the slow path, which reports them. */
  public void watch(int pageIndex) {
    watched[pageIndex >>> 6] |= 1L << pageIndex;
  }

  /** Every write path (CPU slow path, page-table A/D updates, device DMA) calls this first. */
  public void noteWrite(int pageIndex) {
    if ((shared[pageIndex >>> 6] & (1L << pageIndex)) != 0) {
      unshare(pageIndex);
    }
    writtenIn[pageIndex] = generation;
    dirty[pageIndex >>> 6] |= 1L << pageIndex;
    long bit = 1L << pageIndex;
    if ((code[pageIndex >>> 6] & bit) != 0) {
      code[pageIndex >>> 6] &= ~bit;
      tracker.codePageWritten(pageIndex);
    }
  }

  /** Returns the pages written since the last call as a bitmap, and starts a new interval. */
  public long[] collectDirty() {
    long[] snapshot = dirty.clone();
    Arrays.fill(dirty, 0);
    tracker.dirtyBitsCleared();
    return snapshot;
  }

  public int dirtyPageCount() {
    int n = 0;
    for (long w : dirty) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /** Writes bytes at a physical address (loaders, devices), marking pages dirty. */
  public void write(long physicalAddress, byte[] data, int offset, int length) {
    checkRange(physicalAddress, length);
    long addr = physicalAddress;
    int done = 0;
    while (done < length) {
      int index = pageIndex(addr);
      int inPage = (int) (addr & PAGE_MASK);
      int n = Math.min(length - done, PAGE_SIZE - inPage);
      noteWrite(index);
      System.arraycopy(data, offset + done, page(index), inPage, n);
      done += n;
      addr += n;
    }
  }

  /** Zero-fills a range (an ELF segment's bss), marking pages dirty. */
  public void fillZero(long physicalAddress, long length) {
    checkRange(physicalAddress, length);
    long addr = physicalAddress;
    long end = physicalAddress + length;
    while (addr < end) {
      int index = pageIndex(addr);
      int inPage = (int) (addr & PAGE_MASK);
      int n = (int) Math.min(end - addr, PAGE_SIZE - inPage);
      if (pages[index] != null) {
        noteWrite(index);
        Arrays.fill(pages[index], inPage, inPage + n, (byte) 0);
      }
      addr += n;
    }
  }

  /** Reads bytes from a physical address; untouched pages read as zero. */
  public void read(long physicalAddress, byte[] into, int offset, int length) {
    checkRange(physicalAddress, length);
    long addr = physicalAddress;
    int done = 0;
    while (done < length) {
      int index = pageIndex(addr);
      int inPage = (int) (addr & PAGE_MASK);
      int n = Math.min(length - done, PAGE_SIZE - inPage);
      byte[] p = pages[index];
      if (p == null) {
        Arrays.fill(into, offset + done, offset + done + n, (byte) 0);
      } else {
        System.arraycopy(p, inPage, into, offset + done, n);
      }
      done += n;
      addr += n;
    }
  }

  public long readLong(long physicalAddress) {
    byte[] b = new byte[8];
    read(physicalAddress, b, 0, 8);
    return LittleEndian.getLong(b, 0);
  }

  public void writeLong(long physicalAddress, long value) {
    byte[] b = new byte[8];
    LittleEndian.putLong(b, 0, value);
    write(physicalAddress, b, 0, 8);
  }

  private void checkRange(long physicalAddress, long length) {
    if (length < 0
        || !contains(physicalAddress)
        || (length > 0 && !contains(physicalAddress + length - 1))) {
      throw new IllegalArgumentException(
          String.format(
              "range 0x%x..0x%x is outside RAM 0x%x..0x%x",
              physicalAddress, physicalAddress + length, base, base + size));
    }
  }

  /**
   * Every non-zero page with its index: a page that was touched but holds only zeros hashes like
   * one never touched, since the guest cannot tell them apart.
   */
  @Override
  public void digestInto(StateHasher h) {
    h.section("ram").putLong(base).putLong(size);
    for (int i = 0; i < pages.length; i++) {
      byte[] p = pages[i];
      if (p != null && Arrays.mismatch(p, ZERO_PAGE) >= 0) {
        h.putInt(i).putBytes(p, 0, PAGE_SIZE);
      }
    }
  }

  // ---------------------------------------------------------------- snapshots and generations

  /**
   * Shares every page with a new snapshot of memory as it is now. The machine keeps its arrays (so
   * its TLBs and decoded pages stay valid); the first write to each page after this gives the
   * snapshot a copy of the old contents. Call it on the machine's thread while it is paused.
   */
  public MemorySnapshot share() {
    return share(0);
  }

  /**
   * Like {@link #share()}, but the snapshot holds only the pages written since {@code
   * sinceGeneration} (0: all pages), for the rounds of pre-copy.
   */
  public MemorySnapshot share(int sinceGeneration) {
    byte[][] refs;
    BitSet included = null;
    if (sinceGeneration <= 0) {
      refs = pages.clone();
    } else {
      included = writtenSince(sinceGeneration);
      refs = new byte[pages.length][];
      for (int i = included.nextSetBit(0); i >= 0; i = included.nextSetBit(i + 1)) {
        refs[i] = pages[i];
      }
    }
    MemorySnapshot s = new MemorySnapshot(this, refs, included, startGeneration());
    snapshots.add(s);
    // Every page, shared or not: noteWrite asks the snapshots, which know which they hold.
    Arrays.fill(shared, -1L);
    return s;
  }

  /**
   * Starts a new generation and returns its number: pages written from now on are reported by
   * {@link #writtenSince} for it. Drops cached write translations so that the next write to every
   * page is noted.
   */
  public int startGeneration() {
    generation++;
    tracker.dirtyBitsCleared();
    return generation;
  }

  public int generation() {
    return generation;
  }

  /** The pages written in generation {@code since} or later (since >= 1). */
  public BitSet writtenSince(int since) {
    int from = Math.max(1, since);
    BitSet set = new BitSet(pages.length);
    for (int i = 0; i < writtenIn.length; i++) {
      if (writtenIn[i] >= from) {
        set.set(i);
      }
    }
    return set;
  }

  /** Writes a page through the normal write path (dirty and code tracking); null = zeros. */
  public void applyPage(int pageIndex, byte[] data) {
    if (pageIndex < 0 || pageIndex >= pages.length) {
      throw new IllegalArgumentException("page " + pageIndex + " is outside RAM");
    }
    if (data == null && pages[pageIndex] == null) {
      return;
    }
    noteWrite(pageIndex);
    if (data == null) {
      Arrays.fill(pages[pageIndex], (byte) 0);
    } else {
      System.arraycopy(data, 0, page(pageIndex), 0, PAGE_SIZE);
    }
  }

  /** Copies every page a snapshot holds onto this memory (a restore, a pre-copy round). */
  public void applyPages(MemorySnapshot snapshot) {
    byte[] buffer = new byte[PAGE_SIZE];
    for (int i = 0; i < snapshot.pageCount(); i++) {
      if (snapshot.includes(i)) {
        applyPage(i, snapshot.copyPage(i, buffer) ? buffer : null);
      }
    }
  }

  private void unshare(int pageIndex) {
    shared[pageIndex >>> 6] &= ~(1L << pageIndex);
    byte[] p = pages[pageIndex];
    if (p != null) {
      for (MemorySnapshot s : snapshots) {
        s.preserve(pageIndex, p);
      }
    }
  }

  void released(MemorySnapshot snapshot) {
    snapshots.remove(snapshot);
  }
}
