package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.CpuHarness.CODE;
import static org.crtrmotion.vm.cpu.CpuHarness.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RV64I computational, control-transfer and load/store instructions on RAM. */
class Rv64iTest {
  /** Operands where integer arithmetic goes wrong: signs, word boundaries, extremes. */
  static final long[] EDGES = {
    0,
    1,
    -1,
    2,
    -2,
    31,
    32,
    63,
    64,
    0x7fffffffL,
    0x80000000L,
    0xffffffffL,
    -0x80000000L,
    0x1_0000_0000L,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    0x8000_0000_0000_0001L,
    0x1234_5678_9abc_def0L
  };

  interface RType {
    int encode(int rd, int rs1, int rs2);
  }

  interface IType {
    int encode(int rd, int rs1, int imm);
  }

  static Stream<Arguments> registerOps() {
    return Stream.of(
        Arguments.of("add", (RType) Asm::add, (LongBinaryOperator) (a, b) -> a + b),
        Arguments.of("sub", (RType) Asm::sub, (LongBinaryOperator) (a, b) -> a - b),
        Arguments.of("sll", (RType) Asm::sll, (LongBinaryOperator) (a, b) -> a << (b & 63)),
        Arguments.of("slt", (RType) Asm::slt, (LongBinaryOperator) (a, b) -> a < b ? 1 : 0),
        Arguments.of(
            "sltu",
            (RType) Asm::sltu,
            (LongBinaryOperator) (a, b) -> Long.compareUnsigned(a, b) < 0 ? 1 : 0),
        Arguments.of("xor", (RType) Asm::xor, (LongBinaryOperator) (a, b) -> a ^ b),
        Arguments.of("srl", (RType) Asm::srl, (LongBinaryOperator) (a, b) -> a >>> (b & 63)),
        Arguments.of("sra", (RType) Asm::sra, (LongBinaryOperator) (a, b) -> a >> (b & 63)),
        Arguments.of("or", (RType) Asm::or, (LongBinaryOperator) (a, b) -> a | b),
        Arguments.of("and", (RType) Asm::and, (LongBinaryOperator) (a, b) -> a & b),
        Arguments.of("addw", (RType) Asm::addw, (LongBinaryOperator) (a, b) -> sext32(a + b)),
        Arguments.of("subw", (RType) Asm::subw, (LongBinaryOperator) (a, b) -> sext32(a - b)),
        Arguments.of(
            "sllw",
            (RType) Asm::sllw,
            (LongBinaryOperator) (a, b) -> sext32((a & 0xffffffffL) << (b & 31))),
        Arguments.of(
            "srlw",
            (RType) Asm::srlw,
            (LongBinaryOperator) (a, b) -> sext32((a & 0xffffffffL) >>> (b & 31))),
        Arguments.of(
            "sraw",
            (RType) Asm::sraw,
            (LongBinaryOperator) (a, b) -> sext32(sext32(a) >> (b & 31))));
  }

  static Stream<Arguments> immediateOps() {
    return Stream.of(
        Arguments.of("addi", (IType) Asm::addi, (LongBinaryOperator) (a, i) -> a + i, 12),
        Arguments.of("slti", (IType) Asm::slti, (LongBinaryOperator) (a, i) -> a < i ? 1 : 0, 12),
        Arguments.of(
            "sltiu",
            (IType) Asm::sltiu,
            (LongBinaryOperator) (a, i) -> Long.compareUnsigned(a, i) < 0 ? 1 : 0,
            12),
        Arguments.of("xori", (IType) Asm::xori, (LongBinaryOperator) (a, i) -> a ^ i, 12),
        Arguments.of("ori", (IType) Asm::ori, (LongBinaryOperator) (a, i) -> a | i, 12),
        Arguments.of("andi", (IType) Asm::andi, (LongBinaryOperator) (a, i) -> a & i, 12),
        Arguments.of("slli", (IType) Asm::slli, (LongBinaryOperator) (a, i) -> a << i, 6),
        Arguments.of("srli", (IType) Asm::srli, (LongBinaryOperator) (a, i) -> a >>> i, 6),
        Arguments.of("srai", (IType) Asm::srai, (LongBinaryOperator) (a, i) -> a >> i, 6),
        Arguments.of("addiw", (IType) Asm::addiw, (LongBinaryOperator) (a, i) -> sext32(a + i), 12),
        Arguments.of(
            "slliw",
            (IType) Asm::slliw,
            (LongBinaryOperator) (a, i) -> sext32((a & 0xffffffffL) << i),
            5),
        Arguments.of(
            "srliw",
            (IType) Asm::srliw,
            (LongBinaryOperator) (a, i) -> sext32((a & 0xffffffffL) >>> i),
            5),
        Arguments.of(
            "sraiw", (IType) Asm::sraiw, (LongBinaryOperator) (a, i) -> sext32(sext32(a) >> i), 5));
  }

  static long sext32(long v) {
    return (int) v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registerOps")
  void registerOpMatchesReferenceForEdgeAndRandomOperands(
      String name, RType op, LongBinaryOperator ref) {
    Random random = new Random(name.hashCode());
    long[] a = new long[EDGES.length * EDGES.length + 200];
    long[] b = new long[a.length];
    int n = 0;
    for (long x : EDGES) {
      for (long y : EDGES) {
        a[n] = x;
        b[n++] = y;
      }
    }
    while (n < a.length) {
      a[n] = random.nextLong();
      b[n++] = random.nextLong();
    }
    CpuHarness h = new CpuHarness();
    for (int k = 0; k < n; k++) {
      long x = a[k], y = b[k];
      h.hart.setPc(CODE);
      h.x(6, x).x(7, y).run(op.encode(5, 6, 7));
      assertEquals(
          ref.applyAsLong(x, y), h.x(5), () -> String.format("%s of 0x%x, 0x%x", name, x, y));
      assertEquals(CODE + 4, h.hart.pc());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("immediateOps")
  void immediateOpMatchesReferenceForEdgeAndRandomOperands(
      String name, IType op, LongBinaryOperator ref, int immBits) {
    Random random = new Random(name.hashCode());
    CpuHarness h = new CpuHarness();
    for (int k = 0; k < 300; k++) {
      long a = k < EDGES.length ? EDGES[k] : random.nextLong();
      int imm;
      if (immBits == 12) {
        imm =
            (k % 4 == 0)
                ? -1
                : (k % 4 == 1) ? -2048 : (k % 4 == 2) ? 2047 : random.nextInt(4096) - 2048;
      } else {
        imm = (k % 3 == 0) ? (1 << immBits) - 1 : random.nextInt(1 << immBits);
      }
      h.hart.setPc(CODE);
      h.x(6, a).run(op.encode(5, 6, imm));
      assertEquals(ref.applyAsLong(a, imm), h.x(5), String.format("%s 0x%x, %d", name, a, imm));
    }
  }

  // ------------------------------------------------------------------ x0, LUI, AUIPC

  @Test
  void writesToX0AreDiscarded() {
    CpuHarness h = new CpuHarness().x(6, 42);
    h.run(addi(0, 6, 1), add(0, 6, 6), lui(0, 0x12345), jal(0, 4), add(5, 0, 0));
    assertEquals(0, h.x(0));
    assertEquals(0, h.hart.x[0]);
    assertEquals(0, h.x(5));
  }

  @Test
  void luiSignExtendsBit31() {
    CpuHarness h = new CpuHarness().run(lui(5, 0x80000), lui(6, 0x7ffff));
    assertEquals(0xffff_ffff_8000_0000L, h.x(5));
    assertEquals(0x7fff_f000L, h.x(6));
  }

  @Test
  void auipcAddsSignExtendedUpperImmediateToItsOwnPc() {
    CpuHarness h = new CpuHarness().run(nop(), auipc(5, 0xfffff), auipc(6, 0x80000), auipc(7, 1));
    assertEquals(CODE + 4 - 0x1000, h.x(5));
    assertEquals(CODE + 8 - 0x8000_0000L, h.x(6));
    assertEquals(CODE + 12 + 0x1000, h.x(7));
  }

  // ------------------------------------------------------------------ shifts and compares

  @Test
  void shiftsBy63UseAllSixBitsOfTheAmount() {
    CpuHarness h = new CpuHarness().x(6, -1).x(7, 63).x(8, 1);
    h.run(srl(5, 6, 7), sra(9, 6, 7), sll(10, 8, 7), srli(11, 6, 63), slli(12, 8, 63));
    assertEquals(1, h.x(5));
    assertEquals(-1, h.x(9));
    assertEquals(Long.MIN_VALUE, h.x(10));
    assertEquals(1, h.x(11));
    assertEquals(Long.MIN_VALUE, h.x(12));
  }

  @Test
  void registerShiftAmountIsMaskedToSixBits() {
    CpuHarness h = new CpuHarness().x(6, 1).x(7, 64 + 3).x(8, -64);
    h.run(sll(5, 6, 7), sll(9, 6, 8));
    assertEquals(8, h.x(5));
    assertEquals(1, h.x(9));
  }

  @Test
  void wordShiftsBy31UseFiveBitsAndSignExtend() {
    CpuHarness h = new CpuHarness().x(6, 1).x(7, 31 + 32).x(8, 0xffff_ffff_8000_0000L);
    h.run(
        sllw(5, 6, 7),
        slliw(9, 6, 31),
        srlw(10, 8, 7),
        sraw(11, 8, 7),
        srliw(12, 8, 31),
        sraiw(13, 8, 31));
    assertEquals(0xffff_ffff_8000_0000L, h.x(5));
    assertEquals(0xffff_ffff_8000_0000L, h.x(9));
    assertEquals(1, h.x(10));
    assertEquals(-1, h.x(11));
    assertEquals(1, h.x(12));
    assertEquals(-1, h.x(13));
  }

  @Test
  void srlwIgnoresUpperHalfOfSource() {
    CpuHarness h = new CpuHarness().x(6, 0xdead_beef_0000_0010L).x(7, 4);
    h.run(srlw(5, 6, 7), sraw(8, 6, 7));
    assertEquals(1, h.x(5));
    assertEquals(1, h.x(8));
  }

  @Test
  void srlwByZeroSignExtendsTheLowWord() {
    CpuHarness h = new CpuHarness().x(6, 0x0000_0000_8000_0000L);
    h.run(srlw(5, 6, 0), srliw(7, 6, 0));
    assertEquals(0xffff_ffff_8000_0000L, h.x(5));
    assertEquals(0xffff_ffff_8000_0000L, h.x(7));
  }

  @Test
  void wordShiftImmediateWithBit5SetIsIllegal() {
    int slliwShamt32 = slliw(5, 6, 0) | (1 << 25);
    CpuHarness h = new CpuHarness().run(slliwShamt32);
    assertTrue(h.trapped(Causes.ILLEGAL_INSTRUCTION));
    assertEquals(slliwShamt32 & 0xffffffffL, h.hart.mtval);
  }

  @Test
  void sltiuWithMinusOneIsTrueForEverythingButAllOnes() {
    CpuHarness h = new CpuHarness().x(6, 5).x(7, -1).x(8, Long.MIN_VALUE);
    h.run(sltiu(5, 6, -1), sltiu(9, 7, -1), sltiu(10, 8, -1));
    assertEquals(1, h.x(5));
    assertEquals(0, h.x(9));
    assertEquals(1, h.x(10));
  }

  @Test
  void sltiuWithOneTestsForZero() {
    CpuHarness h = new CpuHarness().x(6, 0).x(7, 3);
    h.run(sltiu(5, 6, 1), sltiu(8, 7, 1));
    assertEquals(1, h.x(5));
    assertEquals(0, h.x(8));
  }

  @Test
  void sltComparesSignedAndSltuUnsigned() {
    CpuHarness h = new CpuHarness().x(6, -1).x(7, 1);
    h.run(slt(5, 6, 7), sltu(8, 6, 7), slti(9, 6, 0), sltiu(10, 7, -2048));
    assertEquals(1, h.x(5));
    assertEquals(0, h.x(8));
    assertEquals(1, h.x(9));
    assertEquals(1, h.x(10));
  }

  // ------------------------------------------------------------------ branches and jumps

  static Stream<Arguments> branches() {
    // name, encoder, a, b where taken, a, b where not taken
    return Stream.of(
        Arguments.of("beq", (IType) Asm::beq, 5L, 5L, 5L, 6L),
        Arguments.of("bne", (IType) Asm::bne, 5L, 6L, 7L, 7L),
        Arguments.of("blt", (IType) Asm::blt, -1L, 0L, 0L, -1L),
        Arguments.of("bge", (IType) Asm::bge, 0L, -1L, -1L, 0L),
        Arguments.of("bge (equal)", (IType) Asm::bge, 3L, 3L, 2L, 3L),
        Arguments.of("bltu", (IType) Asm::bltu, 0L, -1L, -1L, 0L),
        Arguments.of("bgeu", (IType) Asm::bgeu, -1L, 0L, 0L, -1L),
        Arguments.of("bgeu (equal)", (IType) Asm::bgeu, 7L, 7L, 6L, 7L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("branches")
  void branchTakenJumpsRelativeToItsOwnPc(String name, IType op, long a, long b, long c, long d) {
    CpuHarness h = new CpuHarness().x(6, a).x(7, b);
    h.program(nop(), op.encode(6, 7, 0x100));
    h.step(2);
    assertEquals(CODE + 4 + 0x100, h.hart.pc());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("branches")
  void branchNotTakenFallsThrough(String name, IType op, long a, long b, long c, long d) {
    CpuHarness h = new CpuHarness().x(6, c).x(7, d);
    h.program(nop(), op.encode(6, 7, 0x100));
    h.step(2);
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void branchCanGoBackwards() {
    CpuHarness h = new CpuHarness().x(6, 3);
    // loop: addi x6, x6, -1; bne x6, x0, loop
    h.program(addi(6, 6, -1), bne(6, 0, -4), addi(7, 0, 9));
    h.step(7);
    assertEquals(0, h.x(6));
    assertEquals(9, h.x(7));
  }

  @Test
  void jalLinksTheNextPcAndJumps() {
    CpuHarness h = new CpuHarness().run(nop(), jal(1, 0x800));
    assertEquals(CODE + 8, h.x(1));
    assertEquals(CODE + 4 + 0x800, h.hart.pc());
  }

  @Test
  void jalJumpsBackwardsAcrossPages() {
    long at = CODE + 0x3000;
    CpuHarness h = new CpuHarness().place(at, jal(5, -0x2ffc));
    h.hart.setPc(at);
    h.step(1);
    assertEquals(at - 0x2ffc, h.hart.pc());
    assertEquals(at + 4, h.x(5));
  }

  @Test
  void jalrClearsBitZeroOfTheTarget() {
    CpuHarness h = new CpuHarness().x(6, CODE + 0x101);
    h.run(jalr(1, 6, 0));
    assertEquals(CODE + 0x100, h.hart.pc());
    assertEquals(CODE + 4, h.x(1));
  }

  @Test
  void jalrAddsSignExtendedImmediateBeforeClearingBitZero() {
    CpuHarness h = new CpuHarness().x(6, CODE + 0x200);
    h.run(jalr(1, 6, -0xff));
    assertEquals(CODE + 0x100, h.hart.pc());
  }

  @Test
  void jalrWithRdEqualToRs1UsesTheOldValueForTheTarget() {
    CpuHarness h = new CpuHarness().x(6, CODE + 0x40);
    h.run(jalr(6, 6, 8));
    assertEquals(CODE + 0x48, h.hart.pc());
    assertEquals(CODE + 4, h.x(6));
  }

  @Test
  void jumpToTwoByteAlignedTargetDoesNotTrap() {
    // With C, instruction addresses need only be even: no misaligned-fetch exception exists.
    CpuHarness h = new CpuHarness().x(6, CODE + 0x102);
    h.program(jalr(0, 6, 0));
    h.place(CODE + 0x100, 0x00010001 /* c.nop, c.nop */, nop());
    h.step(3);
    assertEquals(CODE + 0x108, h.hart.pc());
  }

  // ------------------------------------------------------------------ loads and stores

  @Test
  void loadsSignOrZeroExtendByWidth() {
    CpuHarness h = new CpuHarness().writeLong(DATA, 0x8081_8283_8485_8687L).x(10, DATA);
    h.run(
        lb(5, 10, 0),
        lbu(6, 10, 0),
        lh(7, 10, 0),
        lhu(8, 10, 0),
        lw(9, 10, 0),
        lwu(11, 10, 0),
        ld(12, 10, 0));
    assertEquals(0xffff_ffff_ffff_ff87L, h.x(5));
    assertEquals(0x87L, h.x(6));
    assertEquals(0xffff_ffff_ffff_8687L, h.x(7));
    assertEquals(0x8687L, h.x(8));
    assertEquals(0xffff_ffff_8485_8687L, h.x(9));
    assertEquals(0x8485_8687L, h.x(11));
    assertEquals(0x8081_8283_8485_8687L, h.x(12));
  }

  @Test
  void loadsOfPositiveValuesDoNotSignExtend() {
    CpuHarness h = new CpuHarness().writeLong(DATA, 0x0000_0000_7f7f_7f7fL).x(10, DATA);
    h.run(lb(5, 10, 0), lh(6, 10, 0), lw(7, 10, 0));
    assertEquals(0x7f, h.x(5));
    assertEquals(0x7f7f, h.x(6));
    assertEquals(0x7f7f_7f7fL, h.x(7));
  }

  @Test
  void loadUsesSignExtendedOffset() {
    CpuHarness h = new CpuHarness().writeLong(DATA, 0x1122_3344_5566_7788L).x(10, DATA + 2048);
    h.run(ld(5, 10, -2048));
    assertEquals(0x1122_3344_5566_7788L, h.x(5));
  }

  @Test
  void storesWriteOnlyTheirWidth() {
    CpuHarness h = new CpuHarness().x(10, DATA).x(5, 0x0102_0304_0506_0708L);
    for (long a = DATA; a < DATA + 32; a += 8) {
      h.writeLong(a, -1);
    }
    h.run(sb(5, 10, 0), sh(5, 10, 8), sw(5, 10, 16), sd(5, 10, 24));
    assertEquals(0xffff_ffff_ffff_ff08L, h.readLong(DATA));
    assertEquals(0xffff_ffff_ffff_0708L, h.readLong(DATA + 8));
    assertEquals(0xffff_ffff_0506_0708L, h.readLong(DATA + 16));
    assertEquals(0x0102_0304_0506_0708L, h.readLong(DATA + 24));
  }

  @Test
  void loadAfterStoreToTheSamePageSeesTheNewValue() {
    CpuHarness h = new CpuHarness().x(10, DATA).x(5, 77);
    h.run(ld(6, 10, 0), sd(5, 10, 0), ld(7, 10, 0), sd(0, 10, 0), ld(8, 10, 0));
    assertEquals(0, h.x(6));
    assertEquals(77, h.x(7));
    assertEquals(0, h.x(8));
  }

  @Test
  void misalignedLoadsInsideAPageSucceed() {
    CpuHarness h =
        new CpuHarness()
            .writeLong(DATA, 0x8877_6655_4433_2211L)
            .writeLong(DATA + 8, 0x00ff_eedd_ccbb_aa99L);
    h.x(10, DATA);
    h.run(lh(5, 10, 1), lw(6, 10, 3), ld(7, 10, 5), lhu(8, 10, 7), lwu(9, 10, 6));
    assertEquals(0x3322, h.x(5));
    assertEquals(0x7766_5544L, h.x(6));
    assertEquals(0xddcc_bbaa_9988_7766L, h.x(7));
    assertEquals(0x9988, h.x(8));
    assertEquals(0xaa99_8877L, h.x(9));
    assertEquals(CODE + 20, h.hart.pc());
  }

  @Test
  void misalignedStoreInsideAPageSucceeds() {
    CpuHarness h = new CpuHarness().x(10, DATA).x(5, 0x1122_3344_5566_7788L);
    h.run(sd(5, 10, 3));
    assertEquals(0x4455_6677_8800_0000L, h.readLong(DATA));
    assertEquals(0x1122_3344_5566_7788L, h.readLong(DATA + 3));
  }

  @Test
  void misalignedLoadAcrossAPageBoundaryJoinsBothPages() {
    long boundary = DATA + 0x1000;
    CpuHarness h =
        new CpuHarness()
            .writeLong(boundary - 8, 0x0807_0605_0403_0201L)
            .writeLong(boundary, 0x100f_0e0d_0c0b_0a09L);
    h.x(10, boundary - 3);
    h.run(ld(5, 10, 0), lw(6, 10, 1), lh(7, 10, 2));
    assertEquals(0x0d0c_0b0a_0908_0706L, h.x(5));
    assertEquals(0x0a09_0807L, h.x(6));
    assertEquals(0x0908L, h.x(7));
  }

  @Test
  void misalignedStoreAcrossAPageBoundarySplitsOverBothPages() {
    long boundary = DATA + 0x1000;
    CpuHarness h = new CpuHarness().x(10, boundary - 2).x(5, 0x1122_3344_5566_7788L);
    h.run(sd(5, 10, 0));
    assertEquals(0x7788_0000_0000_0000L, h.readLong(boundary - 8));
    assertEquals(0x0000_1122_3344_5566L, h.readLong(boundary));
  }

  @Test
  void loadFromUartReadsItsRegisters() {
    CpuHarness h = new CpuHarness().x(10, 0x1000_0000L);
    h.run(lbu(5, 10, 5));
    assertEquals(0x60, h.x(5)); // LSR: transmitter empty, no data
  }

  @Test
  void storeToUartTransmits() {
    CpuHarness h = new CpuHarness().x(10, 0x1000_0000L).x(5, 'A');
    h.run(sb(5, 10, 0));
    assertEquals("A", h.console.toString());
  }

  @Test
  void loadFromVirtioSlotSignExtendsWordLikeRam() {
    CpuHarness h = new CpuHarness().x(10, 0x1000_1000L);
    h.run(lw(5, 10, 0), lw(6, 10, 0xc));
    assertEquals(0x7472_6976L, h.x(5)); // "virt"
    assertEquals(0x554d_4551L, h.x(6));
  }

  @Test
  void loadFromUnmappedAddressRaisesLoadAccessFaultWithAddress() {
    CpuHarness h = new CpuHarness().x(10, 0x4000_0000L);
    h.run(lw(5, 10, 8));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(0x4000_0008L, h.hart.mtval);
    assertEquals(CODE, h.hart.mepc);
    assertEquals(0, h.x(5));
  }

  @Test
  void storeToUnmappedAddressRaisesStoreAccessFaultWithAddress() {
    CpuHarness h = new CpuHarness().x(10, 0x4000_0000L).x(5, 1);
    h.run(nop(), sd(5, 10, -16));
    assertTrue(h.trapped(Causes.STORE_ACCESS));
    assertEquals(0x4000_0000L - 16, h.hart.mtval);
    assertEquals(CODE + 4, h.hart.mepc);
  }

  @Test
  void loadJustPastTheEndOfRamRaisesAccessFault() {
    CpuHarness h = new CpuHarness();
    long end = CpuHarness.RAM_BASE + h.ram().size();
    h.x(10, end - 4);
    h.run(lw(5, 10, 0), lw(6, 10, 4));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(end, h.hart.mtval);
  }

  @Test
  void misalignedLoadStraddlingTheEndOfRamRaisesAccessFault() {
    CpuHarness h = new CpuHarness();
    long end = CpuHarness.RAM_BASE + h.ram().size();
    h.x(10, end - 2);
    h.run(lw(5, 10, 0));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(0, h.x(5));
  }

  @Test
  void fetchFromUnmappedAddressRaisesFetchAccessFault() {
    CpuHarness h = new CpuHarness().x(6, 0x4000_0000L);
    h.run(jalr(1, 6, 0));
    h.step(1);
    assertTrue(h.trapped(Causes.FETCH_ACCESS));
    assertEquals(0x4000_0000L, h.hart.mepc);
    assertEquals(0x4000_0000L, h.hart.mtval);
    assertEquals(CODE + 4, h.x(1));
  }

  @Test
  void fetchFromMmioRaisesFetchAccessFault() {
    CpuHarness h = new CpuHarness().x(6, 0x1000_0000L);
    h.run(jalr(0, 6, 0));
    h.step(1);
    assertTrue(h.trapped(Causes.FETCH_ACCESS));
    assertEquals(0x1000_0000L, h.hart.mtval);
  }

  @Test
  void misalignedMmioAccessRaisesAccessFault() {
    CpuHarness h = new CpuHarness().x(10, 0x1000_1000L);
    h.run(lw(5, 10, 2));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
    assertEquals(0x1000_1002L, h.hart.mtval);
  }

  @Test
  void accessWidthADeviceRejectsRaisesAccessFault() {
    CpuHarness h = new CpuHarness().x(10, 0x0c00_0000L); // the PLIC takes 32-bit accesses only
    h.run(ld(5, 10, 0));
    assertTrue(h.trapped(Causes.LOAD_ACCESS));
  }

  @Test
  void fenceIsANoOp() {
    CpuHarness h = new CpuHarness().run(fence(), addi(5, 0, 1));
    assertEquals(1, h.x(5));
    assertEquals(CODE + 8, h.hart.pc());
  }

  @Test
  void everyRetiredInstructionCountsOnce() {
    CpuHarness h = new CpuHarness();
    h.program(nop(), nop(), jal(0, -8));
    h.step(1000);
    assertEquals(1000, h.hart.instret());
  }
}
