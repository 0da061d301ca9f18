package org.crtrmotion.vm.cpu;

/**
 * Builds Sv39 page tables in guest RAM for tests, from the privileged spec's PTE layout: a table
 * page per level allocated on demand from a pool, leaves at level 0 (4 KiB), 1 (2 MiB) or 2 (1
 * GiB).
 */
final class PageTables {
  static final long V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;

  private final CpuHarness h;
  final long root;
  private long next;

  /** Tables live from {@code base} (page-aligned) upwards. */
  PageTables(CpuHarness h, long base) {
    this.h = h;
    this.root = base;
    this.next = base + 0x1000;
  }

  long satp() {
    return satp(0);
  }

  long satp(int asid) {
    return (8L << 60) | ((long) asid << 44) | (root >>> 12);
  }

  static long pte(long pa, long flags) {
    return ((pa >>> 12) << 10) | flags;
  }

  static int vpn(long va, int level) {
    return (int) ((va >>> (12 + 9 * level)) & 0x1ff);
  }

  /** Address of the PTE for {@code va} at {@code level}, creating pointer tables above it. */
  long pteAddress(long va, int level) {
    long table = root;
    for (int l = 2; l > level; l--) {
      long address = table + 8L * vpn(va, l);
      long pte = h.readLong(address);
      if ((pte & V) == 0) {
        long fresh = next;
        next += 0x1000;
        pte = pte(fresh, V);
        h.writeLong(address, pte);
      }
      table = (pte >>> 10) << 12;
    }
    return table + 8L * vpn(va, level);
  }

  /**
   * Maps {@code va} to {@code pa} with a leaf at {@code level} carrying {@code flags} (V added).
   */
  PageTables map(long va, long pa, long flags, int level) {
    h.writeLong(pteAddress(va, level), pte(pa, flags | V));
    return this;
  }

  PageTables map4k(long va, long pa, long flags) {
    return map(va, pa, flags, 0);
  }

  void setPte(long va, int level, long pte) {
    h.writeLong(pteAddress(va, level), pte);
  }

  long readPte(long va, int level) {
    return h.readLong(pteAddress(va, level));
  }
}
