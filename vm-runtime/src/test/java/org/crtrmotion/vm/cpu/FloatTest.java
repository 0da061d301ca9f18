package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.crtrmotion.vm.cpu.Hart.MSTATUS_FS;
import static org.crtrmotion.vm.cpu.Hart.MSTATUS_FS_SHIFT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F and D through the instruction path: NaN-boxing, the FS field, fcsr, rounding-mode selection,
 * and the IEEE corner cases RISC-V defines itself (canonical NaN, clamping conversions, FMIN/FMAX,
 * FCLASS). The arithmetic proper belongs to SoftFloat's own tests.
 */
class FloatTest {
  static final int NV = 0x10, DZ = 0x08, OF = 0x04, UF = 0x02, NX = 0x01;
  static final long BOX = 0xffff_ffff_0000_0000L;
  static final int CANONICAL_NAN_S = 0x7fc0_0000;
  static final long CANONICAL_NAN_D = 0x7ff8_0000_0000_0000L;
  static final int SNAN_S = 0x7f80_0001;
  static final long SNAN_D = 0x7ff0_0000_0000_0001L;

  private final CpuHarness h = new CpuHarness();

  static long s(float v) {
    return BOX | (Float.floatToRawIntBits(v) & 0xffff_ffffL);
  }

  static long sBits(int bits) {
    return BOX | (bits & 0xffff_ffffL);
  }

  static long d(double v) {
    return Double.doubleToRawLongBits(v);
  }

  private void exec(int... words) {
    h.hart.setPc(CODE);
    h.run(words);
  }

  private void assertIllegal(int insn) {
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION), () -> "mcause " + h.hart.mcause);
    assertEquals(insn & 0xffff_ffffL, h.hart.mtval);
  }

  private void setFs(int fs) {
    h.hart.mstatus = (h.hart.mstatus & ~MSTATUS_FS) | ((long) fs << MSTATUS_FS_SHIFT);
  }

  private int fs() {
    return (int) ((h.hart.mstatus & MSTATUS_FS) >>> MSTATUS_FS_SHIFT);
  }

  // ------------------------------------------------------------------ NaN-boxing

  @Test
  void flwNanBoxesTheLoadedSingle() {
    h.writeLong(DATA, 0x1111_1111_3f80_0000L).x(10, DATA);
    exec(flw(1, 10, 0));
    assertEquals(s(1.0f), h.f(1));
  }

  @Test
  void fmvWXNanBoxesTheLowWord() {
    h.x(5, 0xdead_beef_4000_0000L);
    exec(fmvWX(1, 5));
    assertEquals(s(2.0f), h.f(1));
  }

  @Test
  void improperlyBoxedSingleReadsAsCanonicalNan() {
    h.f(1, 0x0000_0000_3f80_0000L); // 1.0f without the box
    exec(fsgnj(false, 2, 1, 1));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(2));
  }

  @Test
  void partlyBoxedSingleReadsAsCanonicalNan() {
    h.f(1, 0xffff_fffe_3f80_0000L);
    exec(fsgnjx(false, 2, 1, 1));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(2));
  }

  @Test
  void signInjectionTakesTheSignOfAnImproperlyBoxedOperandAsCanonicalNan() {
    h.f(1, s(-3.0f)).f(2, 0x0000_0000_8000_0000L); // rs2 unboxed: reads as +NaN
    exec(fsgnj(false, 3, 1, 2));
    assertEquals(s(3.0f), h.f(3));
  }

  @Test
  void improperlyBoxedSingleIsCanonicalNanInArithmetic() {
    h.f(1, 0x0000_0000_3f80_0000L).f(2, s(1.0f));
    exec(fadd(false, RNE, 3, 1, 2));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(3));
    assertEquals(0, h.hart.fflags);
  }

  @Test
  void fclassOfAnImproperlyBoxedSingleIsQuietNan() {
    h.f(1, 0x0000_0000_0000_0000L);
    exec(fclass(false, 5, 1));
    assertEquals(1 << 9, h.x(5));
  }

  @Test
  void fmvXWDoesNotCheckBoxingAndSignExtends() {
    h.f(1, 0x1234_5678_9abc_def0L);
    exec(fmvXW(5, 1));
    assertEquals(0xffff_ffff_9abc_def0L, h.x(5));
  }

  @Test
  void fswStoresTheLowWordWithoutCheckingTheBox() {
    h.f(1, 0x1234_5678_9abc_def0L).x(10, DATA).writeLong(DATA, -1);
    exec(fsw(1, 10, 0));
    assertEquals(0xffff_ffff_9abc_def0L, h.readLong(DATA));
  }

  @Test
  void doubleMovesAndMemoryKeepAll64Bits() {
    h.x(5, 0x7ff0_0000_0000_0001L).x(10, DATA);
    exec(fmvDX(1, 5), fsd(1, 10, 8), fld(2, 10, 8), fmvXD(6, 2));
    assertEquals(0x7ff0_0000_0000_0001L, h.readLong(DATA + 8));
    assertEquals(0x7ff0_0000_0000_0001L, h.x(6));
  }

  @Test
  void misalignedFpLoadAndStoreWork() {
    h.x(10, DATA + 3).f(1, d(1.5));
    exec(fsd(1, 10, 0), fld(2, 10, 0));
    assertEquals(d(1.5), h.f(2));
  }

  @Test
  void doubleSignInjectionManipulatesOnlyTheSignBit() {
    h.f(1, d(2.5)).f(2, d(-1.0));
    exec(fsgnj(true, 3, 1, 2), fsgnjn(true, 4, 1, 2), fsgnjx(true, 5, 2, 2));
    assertEquals(d(-2.5), h.f(3));
    assertEquals(d(2.5), h.f(4));
    assertEquals(d(1.0), h.f(5));
  }

  @Test
  void signInjectionOfANanKeepsItsPayload() {
    h.f(1, SNAN_D).f(2, d(-1.0));
    exec(fsgnj(true, 3, 1, 2));
    assertEquals(SNAN_D | Long.MIN_VALUE, h.f(3));
    assertEquals(0, h.hart.fflags);
  }

  // ------------------------------------------------------------------ FS

  static Stream<Arguments> fpInstructions() {
    return Stream.of(
        Arguments.of("flw", flw(1, 10, 0)),
        Arguments.of("fsd", fsd(1, 10, 0)),
        Arguments.of("fadd.s", fadd(false, RNE, 1, 2, 3)),
        Arguments.of("fmadd.d", fmadd(true, RNE, 1, 2, 3, 4)),
        Arguments.of("fmv.x.w", fmvXW(5, 1)),
        Arguments.of("fmv.d.x", fmvDX(1, 5)),
        Arguments.of("fclass.d", fclass(true, 5, 1)),
        Arguments.of("fsgnj.s", fsgnj(false, 1, 2, 3)),
        Arguments.of("fcvt.w.d", fcvtToInt(true, 0, RTZ, 5, 1)),
        Arguments.of("feq.s", feq(false, 5, 1, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fpInstructions")
  void fpInstructionWithFsOffIsIllegal(String name, int insn) {
    setFs(0);
    h.x(10, DATA);
    exec(insn);
    assertIllegal(insn);
  }

  @ParameterizedTest(name = "csr 0x{0}")
  @ValueSource(ints = {CsrFile.FFLAGS, CsrFile.FRM, CsrFile.FCSR})
  void fpCsrWithFsOffIsIllegal(int csr) {
    setFs(0);
    int insn = csrrs(5, csr, 0);
    exec(insn);
    assertIllegal(insn);
  }

  @Test
  void fpRegisterWriteSetsFsDirtyAndSd() {
    setFs(1);
    exec(fmvWX(1, 0), csrrs(5, CsrFile.MSTATUS, 0), csrrs(6, CsrFile.SSTATUS, 0));
    assertEquals(3, fs());
    assertTrue(h.x(5) < 0);
    assertTrue(h.x(6) < 0);
  }

  @Test
  void fpLoadSetsFsDirty() {
    setFs(2);
    h.x(10, DATA);
    exec(fld(1, 10, 0));
    assertEquals(3, fs());
  }

  @Test
  void fpCsrWriteSetsFsDirty() {
    setFs(2);
    exec(csrrwi(0, CsrFile.FRM, 1));
    assertEquals(3, fs());
  }

  @Test
  void readingFpStateLeavesFsClean() {
    setFs(2);
    h.x(10, DATA);
    exec(fmvXD(5, 1), fsd(1, 10, 0), csrrs(6, CsrFile.FCSR, 0));
    assertEquals(2, fs());
  }

  @Test
  void arithmeticSetsFsDirty() {
    setFs(1);
    exec(fadd(true, RNE, 1, 0, 0));
    assertEquals(3, fs());
  }

  // ------------------------------------------------------------------ fcsr

  @Test
  void fcsrIsFrmAndFflagsSideBySide() {
    h.x(5, 0xfff);
    exec(
        csrrw(0, CsrFile.FCSR, 5),
        csrrs(6, CsrFile.FRM, 0),
        csrrs(7, CsrFile.FFLAGS, 0),
        csrrs(8, CsrFile.FCSR, 0));
    assertEquals(7, h.x(6));
    assertEquals(0x1f, h.x(7));
    assertEquals(0xff, h.x(8));
  }

  @Test
  void writingFrmAndFflagsUpdatesFcsr() {
    exec(csrrwi(0, CsrFile.FRM, 3), csrrwi(0, CsrFile.FFLAGS, NV | NX), csrrs(5, CsrFile.FCSR, 0));
    assertEquals((3 << 5) | NV | NX, h.x(5));
  }

  @Test
  void fflagsAccrueAcrossInstructions() {
    h.f(1, d(1.0)).f(2, d(0.0)).f(3, d(3.0));
    exec(fdiv(true, RNE, 4, 1, 2), fdiv(true, RNE, 5, 1, 3), csrrs(6, CsrFile.FFLAGS, 0));
    assertEquals(DZ | NX, h.x(6));
  }

  @Test
  void exactOperationLeavesFflagsAlone() {
    h.hart.fflags = OF;
    h.f(1, d(1.0)).f(2, d(2.0));
    exec(fadd(true, RNE, 3, 1, 2));
    assertEquals(d(3.0), h.f(3));
    assertEquals(OF, h.hart.fflags);
  }

  @Test
  void invalidOperationRaisesNvAndGivesCanonicalNan() {
    h.f(1, d(-1.0)).f(2, s(-1.0f));
    exec(fsqrt(true, RNE, 3, 1), fsqrt(false, RNE, 4, 2));
    assertEquals(CANONICAL_NAN_D, h.f(3));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(4));
    assertEquals(NV, h.hart.fflags);
  }

  // ------------------------------------------------------------------ rounding modes

  @ParameterizedTest(name = "frm {0}")
  @ValueSource(ints = {5, 6, 7})
  void dynamicRoundingWithInvalidFrmIsIllegal(int frm) {
    h.hart.frm = frm;
    int insn = fadd(true, DYN, 1, 2, 3);
    exec(insn);
    assertIllegal(insn);
  }

  @Test
  void dynamicRoundingWithInvalidFrmIsIllegalForFusedOps() {
    h.hart.frm = 5;
    int insn = fmadd(false, DYN, 1, 2, 3, 4);
    exec(insn);
    assertIllegal(insn);
  }

  @Test
  void dynamicRoundingWithInvalidFrmIsIllegalForExactConversions() {
    h.hart.frm = 6;
    int insn = fcvtFromInt(true, 0, DYN, 1, 5);
    exec(insn);
    assertIllegal(insn);
  }

  @Test
  void dynamicRoundingWithInvalidFrmIsIllegalForWidening() {
    // fcvt.d.s cannot round, but its rm field decodes as usual (F extension, rounding modes)
    h.hart.frm = 7;
    int insn = fcvtDS(DYN, 1, 2);
    exec(insn);
    assertIllegal(insn);
  }

  @Test
  void invalidFrmDoesNotAffectInstructionsWithoutRoundingMode() {
    h.hart.frm = 7;
    h.f(1, d(1.0));
    exec(fsgnj(true, 2, 1, 1), fmvXD(5, 2), csrrs(6, CsrFile.FRM, 0));
    assertEquals(d(1.0), h.x(5));
    assertEquals(7, h.x(6));
  }

  @ParameterizedTest(name = "rm {0}")
  @ValueSource(ints = {5, 6})
  void staticReservedRoundingModeIsIllegal(int rm) {
    int insn = fadd(false, rm, 1, 2, 3);
    exec(insn);
    assertIllegal(insn);
  }

  @ParameterizedTest(name = "rm {0}")
  @ValueSource(ints = {5, 6})
  void staticReservedRoundingModeIsIllegalInFusedAndConversionOps(int rm) {
    int fused = fmsub(true, rm, 1, 2, 3, 4);
    exec(fused);
    assertIllegal(fused);
    int convert = fcvtToInt(false, 2, rm, 5, 1);
    exec(convert);
    assertIllegal(convert);
  }

  /** fcvt.w.d of ±2.5 in each mode: the cases that tell all five apart. */
  static Stream<Arguments> roundingModes() {
    return Stream.of(
        Arguments.of("RNE", RNE, 2L, -2L),
        Arguments.of("RTZ", RTZ, 2L, -2L),
        Arguments.of("RDN", RDN, 2L, -3L),
        Arguments.of("RUP", RUP, 3L, -2L),
        Arguments.of("RMM", RMM, 3L, -3L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roundingModes")
  void staticRoundingModeSelectsTheConversionResult(String name, int rm, long up, long down) {
    h.f(1, d(2.5)).f(2, d(-2.5));
    exec(fcvtToInt(true, 0, rm, 5, 1), fcvtToInt(true, 0, rm, 6, 2));
    assertEquals(up, h.x(5));
    assertEquals(down, h.x(6));
    assertEquals(NX, h.hart.fflags);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roundingModes")
  void dynamicRoundingModeComesFromFrm(String name, int rm, long up, long down) {
    h.hart.frm = rm;
    h.f(1, s(2.5f)).f(2, s(-2.5f));
    exec(fcvtToInt(false, 2, DYN, 5, 1), fcvtToInt(false, 2, DYN, 6, 2));
    assertEquals(up, h.x(5));
    assertEquals(down, h.x(6));
  }

  /** 1 + 2^-53 is a tie between 1 and the next double; the sign separates RDN from RUP. */
  static Stream<Arguments> additionTies() {
    double next = Math.nextUp(1.0);
    return Stream.of(
        Arguments.of("RNE", RNE, 1.0, -1.0),
        Arguments.of("RTZ", RTZ, 1.0, -1.0),
        Arguments.of("RDN", RDN, 1.0, -next),
        Arguments.of("RUP", RUP, next, -1.0),
        Arguments.of("RMM", RMM, next, -next));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("additionTies")
  void roundingModeSelectsTheSumOfATie(String name, int rm, double positive, double negative) {
    double halfUlp = Math.scalb(1.0, -53);
    h.f(1, d(1.0)).f(2, d(halfUlp)).f(3, d(-1.0)).f(4, d(-halfUlp));
    h.hart.frm = rm;
    exec(fadd(true, DYN, 5, 1, 2), fadd(true, rm, 6, 3, 4));
    assertEquals(positive, Double.longBitsToDouble(h.f(5)));
    assertEquals(negative, Double.longBitsToDouble(h.f(6)));
    assertEquals(NX, h.hart.fflags);
  }

  @Test
  void singlePrecisionArithmeticRoundsToSingle() {
    h.f(1, s(1.0f)).f(2, s(3.0f));
    exec(fdiv(false, RUP, 3, 1, 2), fdiv(false, RDN, 4, 1, 2));
    // 1/3 = 0x3eaaaaaa.aaa...: the nearest single is already the one above
    assertEquals(s(1.0f / 3.0f), h.f(3));
    assertEquals(s(Math.nextDown(1.0f / 3.0f)), h.f(4));
  }

  // ------------------------------------------------------------------ conversions

  static Stream<Arguments> toIntegerConversions() {
    // name, double source?, kind (0 w, 1 wu, 2 l, 3 lu), rm, input bits, result, flags
    return Stream.of(
        Arguments.of("w.s NaN", false, 0, RTZ, sBits(CANONICAL_NAN_S), 0x7fff_ffffL, NV),
        Arguments.of("w.s +inf", false, 0, RTZ, s(Float.POSITIVE_INFINITY), 0x7fff_ffffL, NV),
        Arguments.of(
            "w.s -inf", false, 0, RTZ, s(Float.NEGATIVE_INFINITY), 0xffff_ffff_8000_0000L, NV),
        Arguments.of("w.s 3e9", false, 0, RTZ, s(3e9f), 0x7fff_ffffL, NV),
        Arguments.of("w.s -3e9", false, 0, RTZ, s(-3e9f), 0xffff_ffff_8000_0000L, NV),
        Arguments.of("w.s -0.5", false, 0, RTZ, s(-0.5f), 0L, NX),
        Arguments.of("wu.s -1", false, 1, RTZ, s(-1.0f), 0L, NV),
        Arguments.of("wu.s -0.5", false, 1, RTZ, s(-0.5f), 0L, NX),
        Arguments.of("wu.s NaN", false, 1, RTZ, sBits(CANONICAL_NAN_S), -1L, NV),
        Arguments.of("wu.s 5e9", false, 1, RTZ, s(5e9f), -1L, NV),
        Arguments.of("wu.d 3e9", true, 1, RTZ, d(3e9), 0xffff_ffff_b2d0_5e00L, 0),
        Arguments.of("w.d -1", true, 0, RTZ, d(-1.0), -1L, 0),
        Arguments.of("w.d 2^31-0.5", true, 0, RNE, d(2147483647.5), 0x7fff_ffffL, NV),
        Arguments.of("l.d 2^63", true, 2, RTZ, d(0x1p63), Long.MAX_VALUE, NV),
        Arguments.of("l.d -2^63", true, 2, RTZ, d(-0x1p63), Long.MIN_VALUE, 0),
        Arguments.of("l.d NaN", true, 2, RTZ, CANONICAL_NAN_D, Long.MAX_VALUE, NV),
        Arguments.of("l.d -inf", true, 2, RTZ, d(Double.NEGATIVE_INFINITY), Long.MIN_VALUE, NV),
        Arguments.of("lu.d -1", true, 3, RTZ, d(-1.0), 0L, NV),
        Arguments.of("lu.d 2^64", true, 3, RTZ, d(0x1p64), -1L, NV),
        Arguments.of("lu.d NaN", true, 3, RTZ, CANONICAL_NAN_D, -1L, NV),
        Arguments.of("lu.s 2^63", false, 3, RTZ, s(0x1p63f), Long.MIN_VALUE, 0),
        Arguments.of("l.s -0", false, 2, RTZ, s(-0.0f), 0L, 0));
  }

  @ParameterizedTest(name = "fcvt.{0}")
  @MethodSource("toIntegerConversions")
  void conversionToIntegerClampsAndFlags(
      String name, boolean dbl, int kind, int rm, long in, long out, int flags) {
    h.f(1, in);
    exec(fcvtToInt(dbl, kind, rm, 5, 1));
    assertEquals(out, h.x(5));
    assertEquals(flags, h.hart.fflags);
  }

  @Test
  void conversionFromWordUsesOnlyTheLow32Bits() {
    h.x(5, 0x0000_0001_ffff_ffffL);
    exec(fcvtFromInt(true, 0, RNE, 1, 5), fcvtFromInt(true, 1, RNE, 2, 5));
    assertEquals(d(-1.0), h.f(1));
    assertEquals(d(4294967295.0), h.f(2));
  }

  @Test
  void conversionFromLongRoundsAndBoxesSingles() {
    h.x(5, (1L << 62) + 1).x(6, -1);
    exec(fcvtFromInt(false, 2, RTZ, 1, 5), fcvtFromInt(false, 3, RTZ, 2, 6));
    assertEquals(s(0x1p62f), h.f(1));
    assertEquals(s(Math.nextDown(0x1p64f)), h.f(2));
    assertEquals(NX, h.hart.fflags);
  }

  @Test
  void narrowingAndWideningCanonicaliseNans() {
    h.f(1, SNAN_D).f(2, sBits(SNAN_S));
    exec(fcvtSD(RNE, 3, 1), fcvtDS(RNE, 4, 2));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(3));
    assertEquals(CANONICAL_NAN_D, h.f(4));
    assertEquals(NV, h.hart.fflags);
  }

  @Test
  void narrowingRoundsAndOverflows() {
    h.f(1, d(1e300)).f(2, d(1.0 / 3.0));
    exec(fcvtSD(RNE, 3, 1), fcvtSD(RTZ, 4, 2));
    assertEquals(s(Float.POSITIVE_INFINITY), h.f(3));
    assertEquals(s(Math.nextDown(1.0f / 3.0f)), h.f(4)); // truncated, not rounded to nearest
    assertEquals(OF | NX, h.hart.fflags);
  }

  @Test
  void arithmeticOnNansReturnsTheCanonicalNan() {
    h.f(1, 0x7ff8_0000_dead_beefL).f(2, d(1.0)).f(3, sBits(0xffc0_1234)).f(4, s(1.0f));
    exec(fmul(true, RNE, 5, 1, 2), fsub(false, RNE, 6, 3, 4));
    assertEquals(CANONICAL_NAN_D, h.f(5));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(6));
    assertEquals(0, h.hart.fflags);
  }

  // ------------------------------------------------------------------ fused multiply-add

  @Test
  void fusedOpsNegateTheProductAndTheAddendAsNamed() {
    h.f(1, d(2.0)).f(2, d(3.0)).f(3, d(1.0));
    exec(
        fmadd(true, RNE, 4, 1, 2, 3),
        fmsub(true, RNE, 5, 1, 2, 3),
        fnmsub(true, RNE, 6, 1, 2, 3),
        fnmadd(true, RNE, 7, 1, 2, 3));
    assertEquals(d(7.0), h.f(4));
    assertEquals(d(5.0), h.f(5));
    assertEquals(d(-5.0), h.f(6));
    assertEquals(d(-7.0), h.f(7));
  }

  @Test
  void fusedMultiplyAddRoundsOnce() {
    // (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60: the product rounded first would lose 2^-60
    float a = 1.0f + 0x1p-23f;
    h.f(1, s(a)).f(2, s(a)).f(3, s(-1.0f));
    exec(fmadd(false, RNE, 4, 1, 2, 3));
    assertEquals(s(Math.fma(a, a, -1.0f)), h.f(4));
  }

  @Test
  void fmaOfInfinityTimesZeroIsInvalid() {
    h.f(1, s(Float.POSITIVE_INFINITY)).f(2, s(0.0f)).f(3, s(1.0f));
    exec(fmadd(false, RNE, 4, 1, 2, 3));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(4));
    assertEquals(NV, h.hart.fflags);
  }

  // ------------------------------------------------------------------ min, max, compare

  @Test
  void fminAndFmaxReturnTheNumberWhenOneOperandIsAQuietNan() {
    h.f(1, CANONICAL_NAN_D).f(2, d(1.0));
    exec(fmin(true, 3, 1, 2), fmax(true, 4, 2, 1));
    assertEquals(d(1.0), h.f(3));
    assertEquals(d(1.0), h.f(4));
    assertEquals(0, h.hart.fflags);
  }

  @Test
  void fminWithASignalingNanReturnsTheNumberAndRaisesNv() {
    h.f(1, sBits(SNAN_S)).f(2, s(-4.0f));
    exec(fmin(false, 3, 1, 2));
    assertEquals(s(-4.0f), h.f(3));
    assertEquals(NV, h.hart.fflags);
  }

  @Test
  void fminAndFmaxOfTwoNansReturnTheCanonicalNan() {
    h.f(1, 0x7ff8_0000_0000_1234L).f(2, SNAN_D).f(3, sBits(0x7fc0_0042)).f(4, sBits(0x7fc0_0043));
    exec(fmin(true, 5, 1, 2), fmax(false, 6, 3, 4));
    assertEquals(CANONICAL_NAN_D, h.f(5));
    assertEquals(sBits(CANONICAL_NAN_S), h.f(6));
    assertEquals(NV, h.hart.fflags);
  }

  @Test
  void fminOrdersNegativeZeroBelowPositiveZero() {
    h.f(1, d(0.0)).f(2, d(-0.0)).f(3, s(0.0f)).f(4, s(-0.0f));
    exec(fmin(true, 5, 1, 2), fmax(true, 6, 2, 1), fmin(false, 7, 3, 4), fmax(false, 8, 4, 3));
    assertEquals(d(-0.0), h.f(5));
    assertEquals(d(0.0), h.f(6));
    assertEquals(s(-0.0f), h.f(7));
    assertEquals(s(0.0f), h.f(8));
  }

  @Test
  void feqIsQuietButFltAndFleSignalOnQuietNans() {
    h.f(1, CANONICAL_NAN_D).f(2, d(1.0));
    exec(feq(true, 5, 1, 2));
    assertEquals(0, h.x(5));
    assertEquals(0, h.hart.fflags);
    exec(flt(true, 6, 1, 2));
    assertEquals(0, h.x(6));
    assertEquals(NV, h.hart.fflags);
    h.hart.fflags = 0;
    exec(fle(false, 7, 1, 1)); // an unboxed single is a NaN too
    assertEquals(0, h.x(7));
    assertEquals(NV, h.hart.fflags);
  }

  @Test
  void feqSignalsOnSignalingNans() {
    h.f(1, sBits(SNAN_S)).f(2, s(1.0f));
    exec(feq(false, 5, 1, 2));
    assertEquals(NV, h.hart.fflags);
  }

  @Test
  void comparisonsTreatZerosAsEqual() {
    h.f(1, d(-0.0)).f(2, d(0.0));
    exec(feq(true, 5, 1, 2), flt(true, 6, 1, 2), fle(true, 7, 2, 1));
    assertEquals(1, h.x(5));
    assertEquals(0, h.x(6));
    assertEquals(1, h.x(7));
  }

  // ------------------------------------------------------------------ FCLASS

  static Stream<Arguments> classes() {
    return Stream.of(
        Arguments.of("-inf", 0, d(Double.NEGATIVE_INFINITY), s(Float.NEGATIVE_INFINITY)),
        Arguments.of("-normal", 1, d(-1.0), s(-1.0f)),
        Arguments.of("-subnormal", 2, d(-Double.MIN_VALUE), s(-Float.MIN_VALUE)),
        Arguments.of("-0", 3, d(-0.0), s(-0.0f)),
        Arguments.of("+0", 4, d(0.0), s(0.0f)),
        Arguments.of("+subnormal", 5, d(Double.MIN_VALUE), s(Float.MIN_VALUE)),
        Arguments.of("+normal", 6, d(Double.MAX_VALUE), s(Float.MAX_VALUE)),
        Arguments.of("+inf", 7, d(Double.POSITIVE_INFINITY), s(Float.POSITIVE_INFINITY)),
        Arguments.of("signaling NaN", 8, SNAN_D, sBits(SNAN_S)),
        Arguments.of("quiet NaN", 9, CANONICAL_NAN_D, sBits(CANONICAL_NAN_S)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classes")
  void fclassSetsExactlyOneBit(String name, int bit, long dbl, long sgl) {
    h.f(1, dbl).f(2, sgl);
    exec(fclass(true, 5, 1), fclass(false, 6, 2));
    assertEquals(1L << bit, h.x(5));
    assertEquals(1L << bit, h.x(6));
    assertEquals(0, h.hart.fflags);
  }

  @Test
  void fcvtDSWithDynamicRoundingAndValidFrmWidens() {
    h.hart.frm = RUP;
    h.f(2, s(1.5f));
    exec(fcvtDS(DYN, 1, 2));
    assertEquals(d(1.5), h.f(1));
  }
}
