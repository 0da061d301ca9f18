package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.FpBits.D_SIGN;
import static org.crtrmotion.vm.cpu.fp.FpBits.S_SIGN;

/**
 * IEEE-754 binary32/binary64 arithmetic with RISC-V F/D semantics, for the interpreter.
 *
 * <p>Values travel as raw bits: doubles as {@code long}, singles as {@code int}. NaN-boxing is the
 * caller's business: pass the unboxed single (a badly boxed register must already have been
 * replaced by the canonical NaN). {@code rm} must be a resolved static mode ({@link #RNE} .. {@link
 * #RMM}); the CPU maps the dynamic mode 7 through {@code frm} and traps on 5, 6 and an invalid
 * {@code frm} itself. Exception flags are ORed into {@code st.flags} ({@link FpStatus}).
 *
 * <p>RISC-V rules honoured here: NaN results are canonical; signalling NaN inputs raise NV;
 * tininess is detected after rounding; fmin/fmax return the non-NaN operand and order -0 &lt; +0;
 * out-of-range and NaN conversions to integer saturate and raise NV (never NX); fused multiply-add
 * raises NV for inf*0 even with a quiet NaN addend.
 *
 * <p>Performance: the common case runs at hardware speed without allocation, which relies on {@link
 * Math#fma} being an intrinsic (HotSpot on any x86-64 with FMA3, or AArch64).
 */
public final class SoftFloat {
  private SoftFloat() {}

  /** Round to nearest, ties to even. */
  public static final int RNE = 0;

  /** Round towards zero. */
  public static final int RTZ = 1;

  /** Round down (towards -infinity). */
  public static final int RDN = 2;

  /** Round up (towards +infinity). */
  public static final int RUP = 3;

  /** Round to nearest, ties away from zero (max magnitude). */
  public static final int RMM = 4;

  // ================================================================ binary64

  public static long addD(long a, long b, int rm, FpStatus st) {
    return Binary64.add(a, b, rm, st);
  }

  public static long subD(long a, long b, int rm, FpStatus st) {
    return Binary64.add(a, b ^ D_SIGN, rm, st);
  }

  public static long mulD(long a, long b, int rm, FpStatus st) {
    return Binary64.mul(a, b, rm, st);
  }

  public static long divD(long a, long b, int rm, FpStatus st) {
    return Binary64.div(a, b, rm, st);
  }

  public static long sqrtD(long a, int rm, FpStatus st) {
    return Binary64.sqrt(a, rm, st);
  }

  /** a*b + c, rounded once. */
  public static long fmaddD(long a, long b, long c, int rm, FpStatus st) {
    return Binary64.fma(a, b, c, rm, st);
  }

  /** a*b - c, rounded once. */
  public static long fmsubD(long a, long b, long c, int rm, FpStatus st) {
    return Binary64.fma(a, b, c ^ D_SIGN, rm, st);
  }

  /** -(a*b) + c, rounded once. */
  public static long fnmsubD(long a, long b, long c, int rm, FpStatus st) {
    return Binary64.fma(a ^ D_SIGN, b, c, rm, st);
  }

  /** -(a*b) - c, rounded once. */
  public static long fnmaddD(long a, long b, long c, int rm, FpStatus st) {
    return Binary64.fma(a ^ D_SIGN, b, c ^ D_SIGN, rm, st);
  }

  public static long minD(long a, long b, FpStatus st) {
    return Comparisons.minD(a, b, st);
  }

  public static long maxD(long a, long b, FpStatus st) {
    return Comparisons.maxD(a, b, st);
  }

  /** feq.d: quiet, NV only for a signalling NaN. */
  public static boolean eqD(long a, long b, FpStatus st) {
    return Comparisons.eqD(a, b, st);
  }

  /** flt.d: signalling, NV for any NaN. */
  public static boolean ltD(long a, long b, FpStatus st) {
    return Comparisons.ltD(a, b, st);
  }

  /** fle.d: signalling, NV for any NaN. */
  public static boolean leD(long a, long b, FpStatus st) {
    return Comparisons.leD(a, b, st);
  }

  /** fclass.d: one of the ten class bits (0 = -inf ... 7 = +inf, 8 = sNaN, 9 = qNaN). */
  public static long classD(long a) {
    return Comparisons.classD(a);
  }

  // ================================================================ binary32

  public static int addS(int a, int b, int rm, FpStatus st) {
    return Binary32.add(a, b, rm, st);
  }

  public static int subS(int a, int b, int rm, FpStatus st) {
    return Binary32.add(a, b ^ S_SIGN, rm, st);
  }

  public static int mulS(int a, int b, int rm, FpStatus st) {
    return Binary32.mul(a, b, rm, st);
  }

  public static int divS(int a, int b, int rm, FpStatus st) {
    return Binary32.div(a, b, rm, st);
  }

  public static int sqrtS(int a, int rm, FpStatus st) {
    return Binary32.sqrt(a, rm, st);
  }

  public static int fmaddS(int a, int b, int c, int rm, FpStatus st) {
    return Binary32.fma(a, b, c, rm, st);
  }

  public static int fmsubS(int a, int b, int c, int rm, FpStatus st) {
    return Binary32.fma(a, b, c ^ S_SIGN, rm, st);
  }

  public static int fnmsubS(int a, int b, int c, int rm, FpStatus st) {
    return Binary32.fma(a ^ S_SIGN, b, c, rm, st);
  }

  public static int fnmaddS(int a, int b, int c, int rm, FpStatus st) {
    return Binary32.fma(a ^ S_SIGN, b, c ^ S_SIGN, rm, st);
  }

  public static int minS(int a, int b, FpStatus st) {
    return Comparisons.minS(a, b, st);
  }

  public static int maxS(int a, int b, FpStatus st) {
    return Comparisons.maxS(a, b, st);
  }

  public static boolean eqS(int a, int b, FpStatus st) {
    return Comparisons.eqS(a, b, st);
  }

  public static boolean ltS(int a, int b, FpStatus st) {
    return Comparisons.ltS(a, b, st);
  }

  public static boolean leS(int a, int b, FpStatus st) {
    return Comparisons.leS(a, b, st);
  }

  /** fclass.s; returned as long like {@link #classD}, ready for an x register. */
  public static long classS(int a) {
    return Comparisons.classS(a);
  }

  // ================================================================ float -> integer
  // 32-bit results come back sign-extended to 64 bits (unsigned W forms included), exactly as
  // RV64 writes them into an x register.

  public static long dToW(long a, int rm, FpStatus st) {
    return Conversions.toInt32(Double.longBitsToDouble(a), rm, st);
  }

  public static long dToWu(long a, int rm, FpStatus st) {
    return Conversions.toUInt32(Double.longBitsToDouble(a), rm, st);
  }

  public static long dToL(long a, int rm, FpStatus st) {
    return Conversions.toInt64(Double.longBitsToDouble(a), rm, st);
  }

  public static long dToLu(long a, int rm, FpStatus st) {
    return Conversions.toUInt64(Double.longBitsToDouble(a), rm, st);
  }

  public static long sToW(int a, int rm, FpStatus st) {
    return Conversions.toInt32(Float.intBitsToFloat(a), rm, st);
  }

  public static long sToWu(int a, int rm, FpStatus st) {
    return Conversions.toUInt32(Float.intBitsToFloat(a), rm, st);
  }

  public static long sToL(int a, int rm, FpStatus st) {
    return Conversions.toInt64(Float.intBitsToFloat(a), rm, st);
  }

  public static long sToLu(int a, int rm, FpStatus st) {
    return Conversions.toUInt64(Float.intBitsToFloat(a), rm, st);
  }

  // ================================================================ integer -> float

  /** fcvt.d.w: the low 32 bits of x as a signed integer; always exact. */
  public static long wToD(long x, int rm, FpStatus st) {
    return Double.doubleToRawLongBits((int) x);
  }

  /** fcvt.d.wu: the low 32 bits of x as an unsigned integer; always exact. */
  public static long wuToD(long x, int rm, FpStatus st) {
    return Double.doubleToRawLongBits(x & 0xFFFF_FFFFL);
  }

  public static long lToD(long x, int rm, FpStatus st) {
    return Conversions.fromInteger64ToD(x < 0, Math.abs(x), rm, st);
  }

  /** fcvt.d.lu: x read as unsigned. */
  public static long luToD(long x, int rm, FpStatus st) {
    return Conversions.fromInteger64ToD(false, x, rm, st);
  }

  public static int wToS(long x, int rm, FpStatus st) {
    int v = (int) x;
    return Conversions.fromInteger64ToS(v < 0, Math.abs((long) v), rm, st);
  }

  public static int wuToS(long x, int rm, FpStatus st) {
    return Conversions.fromInteger64ToS(false, x & 0xFFFF_FFFFL, rm, st);
  }

  public static int lToS(long x, int rm, FpStatus st) {
    return Conversions.fromInteger64ToS(x < 0, Math.abs(x), rm, st);
  }

  public static int luToS(long x, int rm, FpStatus st) {
    return Conversions.fromInteger64ToS(false, x, rm, st);
  }

  // ================================================================ format conversions

  /** fcvt.s.d: rounds; a NaN becomes the canonical single NaN (NV if signalling). */
  public static int dToS(long a, int rm, FpStatus st) {
    return Conversions.doubleToSingle(a, rm, st);
  }

  /** fcvt.d.s: always exact; a NaN becomes the canonical double NaN (NV if signalling). */
  public static long sToD(int a, FpStatus st) {
    return Conversions.singleToDouble(a, st);
  }
}
