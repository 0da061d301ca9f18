package org.crtrmotion.vm.memory;

import java.util.BitSet;

/**
 * Guest memory as it was at one instant, sharing the machine's page arrays until the machine writes
 * them (see {@link GuestMemory#share()}). Readable from any thread while the machine runs on: the
 * machine's copy-before-write and the readers take the same lock, so a reader sees each page either
 * still untouched or as the copy made before the first write.
 */
public final class MemorySnapshot implements AutoCloseable {
  private final GuestMemory memory;
  private final byte[][] pages; // the machine's arrays until preserved, then copies of our own
  private final BitSet included; // null: every page (a full snapshot)
  private final int generation;
  private boolean closed;

  MemorySnapshot(GuestMemory memory, byte[][] pages, BitSet included, int generation) {
    this.memory = memory;
    this.pages = pages;
    this.included = included;
    this.generation = generation;
  }

  public long base() {
    return memory.base();
  }

  public long size() {
    return memory.size();
  }

  public int pageCount() {
    return pages.length;
  }

  /**
   * The generation that began at this snapshot: {@link GuestMemory#writtenSince} of it gives the
   * pages written after the snapshot.
   */
  public int generation() {
    return generation;
  }

  /** Whether the snapshot holds every page, not only those written since an earlier one. */
  public boolean isFull() {
    return included == null;
  }

  /** Whether the page belongs to this snapshot (always, for a full one). */
  public boolean includes(int pageIndex) {
    return included == null || included.get(pageIndex);
  }

  /** How many pages belong to this snapshot. */
  public int includedCount() {
    return included == null ? pages.length : included.cardinality();
  }

  /**
   * Copies the page as it was at the snapshot into {@code into} and returns true; returns false,
   * leaving {@code into} alone, for a page never touched (zero) or not included.
   */
  public synchronized boolean copyPage(int pageIndex, byte[] into) {
    if (closed) {
      throw new IllegalStateException("the memory snapshot is closed");
    }
    byte[] p = pages[pageIndex];
    if (p == null) {
      return false;
    }
    System.arraycopy(p, 0, into, 0, GuestMemory.PAGE_SIZE);
    return true;
  }

  /**
   * The machine is about to write a page for the first time since the snapshot. Once copied, the
   * entry is no longer the machine's array, which is how a second call knows to do nothing.
   */
  synchronized void preserve(int pageIndex, byte[] page) {
    if (!closed && pages[pageIndex] == page) {
      pages[pageIndex] = page.clone();
    }
  }

  /** Drops the pages: the machine no longer copies before writing for this snapshot. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      java.util.Arrays.fill(pages, null);
    }
    memory.released(this);
  }
}
