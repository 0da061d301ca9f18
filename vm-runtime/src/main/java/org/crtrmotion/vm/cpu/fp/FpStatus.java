package org.crtrmotion.vm.cpu.fp;

/**
 * Accrued floating-point exception flags, laid out exactly like the RISC-V {@code fflags} CSR so
 * the CPU can copy {@link #flags} into it without translation. Operations only ever OR bits in.
 */
public final class FpStatus {
  /** Inexact. */
  public static final int NX = 1;

  /** Underflow: the result is tiny (detected after rounding) and inexact. */
  public static final int UF = 2;

  /** Overflow. */
  public static final int OF = 4;

  /** Division by zero. */
  public static final int DZ = 8;

  /** Invalid operation. */
  public static final int NV = 16;

  public int flags;

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FpStatus[");
    if ((flags & NV) != 0) sb.append(" NV");
    if ((flags & DZ) != 0) sb.append(" DZ");
    if ((flags & OF) != 0) sb.append(" OF");
    if ((flags & UF) != 0) sb.append(" UF");
    if ((flags & NX) != 0) sb.append(" NX");
    return sb.append(" ]").toString();
  }
}
