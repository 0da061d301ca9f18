package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Hart.*;

import java.util.Arrays;
import org.crtrmotion.vm.bus.MmioBus;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.LittleEndian;

/**
 * Address translation (bare and Sv39, with hardware A/D updates), the software TLBs that let the
 * interpreter reach RAM pages without a walk, and the slow paths of loads, stores and fetches.
 *
 * <p>The TLBs are direct-mapped and hold only translations to RAM. A translation's permission
 * depends on the privilege, SUM and MXR, so there is one data TLB per combination of those (the
 * effective data privilege, with MPRV) and one fetch TLB per privilege: a trap or a return, or
 * Linux toggling SUM around every user copy, only selects other TLBs, and nothing needs flushing
 * but a satp write or SFENCE.VMA. A write translation is cached only for a page that is already
 * dirty and holds no decoded code, so the interpreter's fast store path needs no dirty tracking.
 */
public final class Mmu {
  static final int TLB_SIZE = 256;
  static final int TLB_MASK = TLB_SIZE - 1;
  static final int ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_EXEC = 2;
  private static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16;
  private static final long PTE_A = 64, PTE_D = 128;
  private static final long PTE_PPN_MASK = ((1L << 44) - 1) << 10;
  private static final long PTE_RESERVED = ~((1L << 54) - 1);

  /** Data TLBs by data privilege | SUM << 2 | MXR << 3; fetch TLBs by privilege. */
  private final DataTlb[] dataTlbs = new DataTlb[16];

  private final FetchTlb[] fetchTlbs = new FetchTlb[4];

  // The TLBs in force, read directly by the interpreter. Tags are virtual page numbers; -1 = empty.
  long[] readTag;
  byte[][] readPage;
  long[] writeTag;
  byte[][] writePage;
  private long[] fetchTag;
  private DecodedPage[] fetchPage;

  private static final class DataTlb {
    final long[] readTag = new long[TLB_SIZE];
    final byte[][] readPage = new byte[TLB_SIZE][];
    final long[] writeTag = new long[TLB_SIZE];
    final byte[][] writePage = new byte[TLB_SIZE][];

    DataTlb() {
      Arrays.fill(readTag, -1);
      Arrays.fill(writeTag, -1);
    }

    void flushWrites() {
      Arrays.fill(writeTag, -1);
      Arrays.fill(writePage, null);
    }

    void flush() {
      Arrays.fill(readTag, -1);
      Arrays.fill(readPage, null);
      flushWrites();
    }

    void dropWrites(byte[] page) {
      for (int i = 0; i < TLB_SIZE; i++) {
        if (writePage[i] == page) {
          writeTag[i] = -1;
          writePage[i] = null;
        }
      }
    }
  }

  private static final class FetchTlb {
    final long[] tag = new long[TLB_SIZE];
    final DecodedPage[] page = new DecodedPage[TLB_SIZE];

    FetchTlb() {
      Arrays.fill(tag, -1);
    }

    void flush() {
      Arrays.fill(tag, -1);
      Arrays.fill(page, null);
    }

    void drop(DecodedPage dp) {
      for (int i = 0; i < TLB_SIZE; i++) {
        if (page[i] == dp) {
          tag[i] = -1;
          page[i] = null;
        }
      }
    }
  }

  private final Hart hart;
  private final GuestMemory ram;
  private final MmioBus bus;
  private final DecodedPage[] decoded;
  private StoreWatcher storeWatcher = StoreWatcher.NONE;

  /** Told of CPU stores to pages marked as watched (the HTIF tohost word). */
  public interface StoreWatcher {
    StoreWatcher NONE = (pa, width) -> {};

    void stored(long physicalAddress, int width);
  }

  public Mmu(Hart hart, GuestMemory ram, MmioBus bus) {
    this.hart = hart;
    this.ram = ram;
    this.bus = bus;
    this.decoded = new DecodedPage[ram.pageCount()];
    selectTlbs();
    hart.onTranslationChange(
        () -> {
          flushAll();
          selectTlbs();
        },
        this::selectTlbs);
    ram.setWriteTracker(
        new GuestMemory.WriteTracker() {
          @Override
          public void codePageWritten(int pageIndex) {
            invalidateCode(pageIndex);
          }

          @Override
          public void dirtyBitsCleared() {
            flushWrites();
          }
        });
  }

  public void setStoreWatcher(StoreWatcher watcher) {
    this.storeWatcher = watcher == null ? StoreWatcher.NONE : watcher;
  }

  public StoreWatcher storeWatcher() {
    return storeWatcher;
  }

  /** Points the interpreter's TLB fields at the ones for the current privilege, SUM and MXR. */
  void selectTlbs() {
    long status = hart.mstatus;
    int key =
        hart.dataPrivilege()
            | ((status & MSTATUS_SUM) != 0 ? 4 : 0)
            | ((status & MSTATUS_MXR) != 0 ? 8 : 0);
    DataTlb data = dataTlbs[key];
    if (data == null) {
      data = dataTlbs[key] = new DataTlb();
    }
    FetchTlb fetch = fetchTlbs[hart.priv];
    if (fetch == null) {
      fetch = fetchTlbs[hart.priv] = new FetchTlb();
    }
    readTag = data.readTag;
    readPage = data.readPage;
    writeTag = data.writeTag;
    writePage = data.writePage;
    fetchTag = fetch.tag;
    fetchPage = fetch.page;
  }

  /** Every cached translation is stale (satp, SFENCE.VMA). */
  public void flushAll() {
    for (DataTlb t : dataTlbs) {
      if (t != null) {
        t.flush();
      }
    }
    for (FetchTlb t : fetchTlbs) {
      if (t != null) {
        t.flush();
      }
    }
  }

  void flushWrites() {
    for (DataTlb t : dataTlbs) {
      if (t != null) {
        t.flushWrites();
      }
    }
  }

  private void flushFetches() {
    for (FetchTlb t : fetchTlbs) {
      if (t != null) {
        t.flush();
      }
    }
  }

  /** FENCE.I: forget every decoded instruction. */
  void flushDecoded() {
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] != null) {
        decoded[i] = null;
        ram.clearCode(i);
      }
    }
    flushFetches();
  }

  private void invalidateCode(int pageIndex) {
    DecodedPage dp = decoded[pageIndex];
    decoded[pageIndex] = null;
    for (FetchTlb t : fetchTlbs) {
      if (t != null) {
        t.drop(dp);
      }
    }
    // The interpreter may be executing this page: make it leave and fetch again.
    hart.requestCheck();
  }

  // ---------------------------------------------------------------- translation

  /**
   * Translates a virtual address for an access of the given type at the given privilege; raises the
   * page fault or access fault the access deserves.
   */
  long translate(long va, int access, int priv) {
    if (priv == PRIV_M || (hart.satp >>> 60) == 0) {
      return va;
    }
    if ((va >> 38) != 0 && (va >> 38) != -1) {
      throw pageFault(access, va);
    }
    long table = (hart.satp & ((1L << 44) - 1)) << 12;
    for (int level = 2; level >= 0; level--) {
      long pteAddress = table + (((va >>> (12 + 9 * level)) & 0x1ff) << 3);
      if (!ram.contains(pteAddress)) {
        throw accessFault(access, va);
      }
      long pte = ram.readLong(pteAddress);
      if ((pte & PTE_V) == 0
          || ((pte & PTE_R) == 0 && (pte & PTE_W) != 0)
          || (pte & PTE_RESERVED) != 0) {
        throw pageFault(access, va);
      }
      long ppn = (pte & PTE_PPN_MASK) >>> 10;
      if ((pte & (PTE_R | PTE_X)) == 0) {
        if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) {
          throw pageFault(access, va); // non-leaf PTEs must have A, D and U clear
        }
        table = ppn << 12;
        continue;
      }
      checkLeaf(pte, access, priv, va);
      long levelMask = (1L << (9 * level)) - 1;
      if ((ppn & levelMask) != 0) {
        throw pageFault(access, va); // misaligned superpage
      }
      long updated = pte | PTE_A | (access == ACCESS_WRITE ? PTE_D : 0);
      if (updated != pte) {
        ram.writeLong(pteAddress, updated);
      }
      return ((ppn | ((va >>> 12) & levelMask)) << 12) | (va & 0xfff);
    }
    throw pageFault(access, va);
  }

  private void checkLeaf(long pte, int access, int priv, long va) {
    boolean user = (pte & PTE_U) != 0;
    if (priv == PRIV_U && !user) {
      throw pageFault(access, va);
    }
    if (priv == PRIV_S && user && (access == ACCESS_EXEC || (hart.mstatus & MSTATUS_SUM) == 0)) {
      throw pageFault(access, va);
    }
    boolean allowed;
    switch (access) {
      case ACCESS_READ:
        allowed = (pte & PTE_R) != 0 || ((pte & PTE_X) != 0 && (hart.mstatus & MSTATUS_MXR) != 0);
        break;
      case ACCESS_WRITE:
        allowed = (pte & PTE_W) != 0;
        break;
      default:
        allowed = (pte & PTE_X) != 0;
        break;
    }
    if (!allowed) {
      throw pageFault(access, va);
    }
  }

  private static Trap pageFault(int access, long va) {
    int cause =
        access == ACCESS_READ
            ? Causes.LOAD_PAGE_FAULT
            : access == ACCESS_WRITE ? Causes.STORE_PAGE_FAULT : Causes.FETCH_PAGE_FAULT;
    return new Trap(cause, va);
  }

  private static Trap accessFault(int access, long va) {
    int cause =
        access == ACCESS_READ
            ? Causes.LOAD_ACCESS
            : access == ACCESS_WRITE ? Causes.STORE_ACCESS : Causes.FETCH_ACCESS;
    return new Trap(cause, va);
  }

  // ---------------------------------------------------------------- data accesses

  /** A load that missed the fast path: returns the value zero-extended from {@code width} bytes. */
  long load(long va, int width) {
    int offset = (int) va & 0xfff;
    if (offset + width > 4096) {
      return loadBytewise(va, width);
    }
    long pa = translate(va, ACCESS_READ, hart.dataPrivilege());
    if (ram.contains(pa)) {
      byte[] page = ram.page(ram.pageIndex(pa));
      int slot = (int) (va >>> 12) & TLB_MASK;
      readTag[slot] = va >>> 12;
      readPage[slot] = page;
      return get(page, offset, width);
    }
    if ((va & (width - 1)) != 0 || !bus.accepts(pa, width)) {
      throw new Trap(Causes.LOAD_ACCESS, va);
    }
    long v = bus.read(pa, width);
    return width == 8 ? v : v & ((1L << (8 * width)) - 1);
  }

  private long loadBytewise(long va, int width) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      v |= load(va + i, 1) << (8 * i);
    }
    return v;
  }

  /** A store that missed the fast path. */
  void store(long va, int width, long value) {
    int offset = (int) va & 0xfff;
    if (offset + width > 4096) {
      // Translate both pages first so that a fault leaves memory untouched.
      int dp = hart.dataPrivilege();
      translate(va, ACCESS_WRITE, dp);
      translate((va | 0xfff) + 1, ACCESS_WRITE, dp); // a fault there reports the page's start
      for (int i = 0; i < width; i++) {
        store(va + i, 1, value >>> (8 * i));
      }
      return;
    }
    long pa = translate(va, ACCESS_WRITE, hart.dataPrivilege());
    if (ram.contains(pa)) {
      int index = ram.pageIndex(pa);
      ram.noteWrite(index);
      byte[] page = ram.page(index);
      put(page, offset, width, value);
      if (ram.isWatched(index)) {
        storeWatcher.stored(pa, width);
      } else if (!ram.isCode(index)) {
        int slot = (int) (va >>> 12) & TLB_MASK;
        writeTag[slot] = va >>> 12;
        writePage[slot] = page;
      }
      return;
    }
    if ((va & (width - 1)) != 0 || !bus.accepts(pa, width)) {
      throw new Trap(Causes.STORE_ACCESS, va);
    }
    bus.write(pa, width, value);
    // A device write may move a deadline (mtimecmp, mtime) without changing any interrupt line,
    // and the interpreter's next check was computed from the old one.
    hart.requestCheck();
  }

  /**
   * Translates for an atomic read-modify-write: naturally aligned, in RAM, writable. Returns the
   * physical address, with the page marked dirty.
   */
  long atomicAddress(long va, int width, boolean isLoadReserved) {
    if ((va & (width - 1)) != 0) {
      throw new Trap(isLoadReserved ? Causes.MISALIGNED_LOAD : Causes.MISALIGNED_STORE, va);
    }
    long pa = translate(va, isLoadReserved ? ACCESS_READ : ACCESS_WRITE, hart.dataPrivilege());
    if (!ram.contains(pa)) {
      throw new Trap(isLoadReserved ? Causes.LOAD_ACCESS : Causes.STORE_ACCESS, va);
    }
    return pa;
  }

  long readPhysical(long pa, int width) {
    return get(ram.page(ram.pageIndex(pa)), (int) pa & 0xfff, width);
  }

  void writePhysical(long pa, int width, long value) {
    int index = ram.pageIndex(pa);
    ram.noteWrite(index);
    put(ram.page(index), (int) pa & 0xfff, width, value);
    if (ram.isWatched(index)) {
      storeWatcher.stored(pa, width);
    }
  }

  static long get(byte[] page, int offset, int width) {
    switch (width) {
      case 1:
        return page[offset] & 0xffL;
      case 2:
        return LittleEndian.getShort(page, offset) & 0xffffL;
      case 4:
        return LittleEndian.getInt(page, offset) & 0xffffffffL;
      default:
        return LittleEndian.getLong(page, offset);
    }
  }

  static void put(byte[] page, int offset, int width, long value) {
    switch (width) {
      case 1:
        page[offset] = (byte) value;
        break;
      case 2:
        LittleEndian.putShort(page, offset, (short) value);
        break;
      case 4:
        LittleEndian.putInt(page, offset, (int) value);
        break;
      default:
        LittleEndian.putLong(page, offset, value);
        break;
    }
  }

  // ---------------------------------------------------------------- instruction fetch

  /** The decode cache of the page holding {@code pc}, translating and allocating as needed. */
  DecodedPage fetchPage(long pc) {
    long vpn = pc >>> 12;
    int slot = (int) vpn & TLB_MASK;
    if (fetchTag[slot] == vpn) {
      return fetchPage[slot];
    }
    long pa = translate(pc, ACCESS_EXEC, hart.priv);
    if (!ram.contains(pa)) {
      throw new Trap(Causes.FETCH_ACCESS, pc);
    }
    int index = ram.pageIndex(pa);
    DecodedPage dp = decoded[index];
    if (dp == null) {
      dp = new DecodedPage(index, ram.page(index));
      decoded[index] = dp;
      ram.markCode(index);
      dropWriteMappings(dp.bytes);
    }
    fetchTag[slot] = vpn;
    fetchPage[slot] = dp;
    return dp;
  }

  private void dropWriteMappings(byte[] page) {
    for (DataTlb t : dataTlbs) {
      if (t != null) {
        t.dropWrites(page);
      }
    }
  }

  /** Decodes the instruction at {@code pc} in its page and caches it (except across pages). */
  long decodeAt(DecodedPage dp, long pc) {
    int offset = (int) pc & 0xfff;
    int low = LittleEndian.getShort(dp.bytes, offset) & 0xffff;
    long d;
    if ((low & 3) != 3) {
      d = Decoder.decode16(low);
    } else if (offset == 0xffe) {
      // The upper half lives on the next page, whose mapping may change: decode it every time.
      return Decoder.pack(Op.CROSS_PAGE, 0, 0, 0, 0);
    } else {
      d = Decoder.decode32(LittleEndian.getInt(dp.bytes, offset));
    }
    dp.slots[offset >>> 1] = d;
    return d;
  }

  /** Fetches and decodes an instruction whose halves lie on two pages. */
  long decodeCrossPage(long pc) {
    int low = (int) fetchHalf(pc);
    int high = (int) fetchHalf(pc + 2);
    return Decoder.decode32(low | (high << 16));
  }

  /** The raw bits of the instruction at {@code pc} (it was just fetched, so this cannot fault). */
  long instructionBits(long pc) {
    long low = fetchHalf(pc);
    return (low & 3) != 3 ? low : low | (fetchHalf(pc + 2) << 16);
  }

  private long fetchHalf(long va) {
    long pa = translate(va, ACCESS_EXEC, hart.priv);
    if (!ram.contains(pa)) {
      throw new Trap(Causes.FETCH_ACCESS, va);
    }
    return get(ram.page(ram.pageIndex(pa)), (int) pa & 0xfff, 2);
  }
}
