package org.crtrmotion.vm.cpu;

/**
 * A small RV64GC instruction encoder for tests, written from the ISA manual independently of the
 * decoder under test. Register arguments are numbers (x or f registers by context).
 */
public final class Asm {
  private Asm() {}

  // ------------------------------------------------------------------ formats

  public static int r(int opcode, int f3, int f7, int rd, int rs1, int rs2) {
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode;
  }

  public static int i(int opcode, int f3, int rd, int rs1, int imm) {
    return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode;
  }

  public static int s(int opcode, int f3, int rs1, int rs2, int imm) {
    return ((imm >> 5) & 0x7f) << 25
        | rs2 << 20
        | rs1 << 15
        | f3 << 12
        | (imm & 0x1f) << 7
        | opcode;
  }

  public static int b(int f3, int rs1, int rs2, int offset) {
    return ((offset >> 12) & 1) << 31
        | ((offset >> 5) & 0x3f) << 25
        | rs2 << 20
        | rs1 << 15
        | f3 << 12
        | ((offset >> 1) & 0xf) << 8
        | ((offset >> 11) & 1) << 7
        | 0x63;
  }

  public static int u(int opcode, int rd, int imm20) {
    return (imm20 & 0xfffff) << 12 | rd << 7 | opcode;
  }

  public static int j(int rd, int offset) {
    return ((offset >> 20) & 1) << 31
        | ((offset >> 1) & 0x3ff) << 21
        | ((offset >> 11) & 1) << 20
        | ((offset >> 12) & 0xff) << 12
        | rd << 7
        | 0x6f;
  }

  public static int r4(int opcode, int fmt, int rm, int rd, int rs1, int rs2, int rs3) {
    return rs3 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm << 12 | rd << 7 | opcode;
  }

  // ------------------------------------------------------------------ RV64I

  public static int lui(int rd, int imm20) {
    return u(0x37, rd, imm20);
  }

  public static int auipc(int rd, int imm20) {
    return u(0x17, rd, imm20);
  }

  public static int jal(int rd, int offset) {
    return j(rd, offset);
  }

  public static int jalr(int rd, int rs1, int imm) {
    return i(0x67, 0, rd, rs1, imm);
  }

  public static int beq(int rs1, int rs2, int off) {
    return b(0, rs1, rs2, off);
  }

  public static int bne(int rs1, int rs2, int off) {
    return b(1, rs1, rs2, off);
  }

  public static int blt(int rs1, int rs2, int off) {
    return b(4, rs1, rs2, off);
  }

  public static int bge(int rs1, int rs2, int off) {
    return b(5, rs1, rs2, off);
  }

  public static int bltu(int rs1, int rs2, int off) {
    return b(6, rs1, rs2, off);
  }

  public static int bgeu(int rs1, int rs2, int off) {
    return b(7, rs1, rs2, off);
  }

  public static int lb(int rd, int rs1, int imm) {
    return i(0x03, 0, rd, rs1, imm);
  }

  public static int lh(int rd, int rs1, int imm) {
    return i(0x03, 1, rd, rs1, imm);
  }

  public static int lw(int rd, int rs1, int imm) {
    return i(0x03, 2, rd, rs1, imm);
  }

  public static int ld(int rd, int rs1, int imm) {
    return i(0x03, 3, rd, rs1, imm);
  }

  public static int lbu(int rd, int rs1, int imm) {
    return i(0x03, 4, rd, rs1, imm);
  }

  public static int lhu(int rd, int rs1, int imm) {
    return i(0x03, 5, rd, rs1, imm);
  }

  public static int lwu(int rd, int rs1, int imm) {
    return i(0x03, 6, rd, rs1, imm);
  }

  public static int sb(int rs2, int rs1, int imm) {
    return s(0x23, 0, rs1, rs2, imm);
  }

  public static int sh(int rs2, int rs1, int imm) {
    return s(0x23, 1, rs1, rs2, imm);
  }

  public static int sw(int rs2, int rs1, int imm) {
    return s(0x23, 2, rs1, rs2, imm);
  }

  public static int sd(int rs2, int rs1, int imm) {
    return s(0x23, 3, rs1, rs2, imm);
  }

  public static int addi(int rd, int rs1, int imm) {
    return i(0x13, 0, rd, rs1, imm);
  }

  public static int slti(int rd, int rs1, int imm) {
    return i(0x13, 2, rd, rs1, imm);
  }

  public static int sltiu(int rd, int rs1, int imm) {
    return i(0x13, 3, rd, rs1, imm);
  }

  public static int xori(int rd, int rs1, int imm) {
    return i(0x13, 4, rd, rs1, imm);
  }

  public static int ori(int rd, int rs1, int imm) {
    return i(0x13, 6, rd, rs1, imm);
  }

  public static int andi(int rd, int rs1, int imm) {
    return i(0x13, 7, rd, rs1, imm);
  }

  public static int slli(int rd, int rs1, int sh) {
    return i(0x13, 1, rd, rs1, sh & 63);
  }

  public static int srli(int rd, int rs1, int sh) {
    return i(0x13, 5, rd, rs1, sh & 63);
  }

  public static int srai(int rd, int rs1, int sh) {
    return i(0x13, 5, rd, rs1, 0x400 | (sh & 63));
  }

  public static int add(int rd, int rs1, int rs2) {
    return r(0x33, 0, 0, rd, rs1, rs2);
  }

  public static int sub(int rd, int rs1, int rs2) {
    return r(0x33, 0, 0x20, rd, rs1, rs2);
  }

  public static int sll(int rd, int rs1, int rs2) {
    return r(0x33, 1, 0, rd, rs1, rs2);
  }

  public static int slt(int rd, int rs1, int rs2) {
    return r(0x33, 2, 0, rd, rs1, rs2);
  }

  public static int sltu(int rd, int rs1, int rs2) {
    return r(0x33, 3, 0, rd, rs1, rs2);
  }

  public static int xor(int rd, int rs1, int rs2) {
    return r(0x33, 4, 0, rd, rs1, rs2);
  }

  public static int srl(int rd, int rs1, int rs2) {
    return r(0x33, 5, 0, rd, rs1, rs2);
  }

  public static int sra(int rd, int rs1, int rs2) {
    return r(0x33, 5, 0x20, rd, rs1, rs2);
  }

  public static int or(int rd, int rs1, int rs2) {
    return r(0x33, 6, 0, rd, rs1, rs2);
  }

  public static int and(int rd, int rs1, int rs2) {
    return r(0x33, 7, 0, rd, rs1, rs2);
  }

  public static int addiw(int rd, int rs1, int imm) {
    return i(0x1b, 0, rd, rs1, imm);
  }

  public static int slliw(int rd, int rs1, int sh) {
    return i(0x1b, 1, rd, rs1, sh & 31);
  }

  public static int srliw(int rd, int rs1, int sh) {
    return i(0x1b, 5, rd, rs1, sh & 31);
  }

  public static int sraiw(int rd, int rs1, int sh) {
    return i(0x1b, 5, rd, rs1, 0x400 | (sh & 31));
  }

  public static int addw(int rd, int rs1, int rs2) {
    return r(0x3b, 0, 0, rd, rs1, rs2);
  }

  public static int subw(int rd, int rs1, int rs2) {
    return r(0x3b, 0, 0x20, rd, rs1, rs2);
  }

  public static int sllw(int rd, int rs1, int rs2) {
    return r(0x3b, 1, 0, rd, rs1, rs2);
  }

  public static int srlw(int rd, int rs1, int rs2) {
    return r(0x3b, 5, 0, rd, rs1, rs2);
  }

  public static int sraw(int rd, int rs1, int rs2) {
    return r(0x3b, 5, 0x20, rd, rs1, rs2);
  }

  public static int fence() {
    return 0x0ff0000f;
  }

  public static int fenceI() {
    return 0x0000100f;
  }

  public static int ecall() {
    return 0x00000073;
  }

  public static int ebreak() {
    return 0x00100073;
  }

  public static int nop() {
    return addi(0, 0, 0);
  }

  // ------------------------------------------------------------------ M

  public static int mul(int rd, int rs1, int rs2) {
    return r(0x33, 0, 1, rd, rs1, rs2);
  }

  public static int mulh(int rd, int rs1, int rs2) {
    return r(0x33, 1, 1, rd, rs1, rs2);
  }

  public static int mulhsu(int rd, int rs1, int rs2) {
    return r(0x33, 2, 1, rd, rs1, rs2);
  }

  public static int mulhu(int rd, int rs1, int rs2) {
    return r(0x33, 3, 1, rd, rs1, rs2);
  }

  public static int div(int rd, int rs1, int rs2) {
    return r(0x33, 4, 1, rd, rs1, rs2);
  }

  public static int divu(int rd, int rs1, int rs2) {
    return r(0x33, 5, 1, rd, rs1, rs2);
  }

  public static int rem(int rd, int rs1, int rs2) {
    return r(0x33, 6, 1, rd, rs1, rs2);
  }

  public static int remu(int rd, int rs1, int rs2) {
    return r(0x33, 7, 1, rd, rs1, rs2);
  }

  public static int mulw(int rd, int rs1, int rs2) {
    return r(0x3b, 0, 1, rd, rs1, rs2);
  }

  public static int divw(int rd, int rs1, int rs2) {
    return r(0x3b, 4, 1, rd, rs1, rs2);
  }

  public static int divuw(int rd, int rs1, int rs2) {
    return r(0x3b, 5, 1, rd, rs1, rs2);
  }

  public static int remw(int rd, int rs1, int rs2) {
    return r(0x3b, 6, 1, rd, rs1, rs2);
  }

  public static int remuw(int rd, int rs1, int rs2) {
    return r(0x3b, 7, 1, rd, rs1, rs2);
  }

  // ------------------------------------------------------------------ A (funct5 values)

  public static final int AMO_ADD = 0x00, AMO_SWAP = 0x01, LR = 0x02, SC = 0x03, AMO_XOR = 0x04;
  public static final int AMO_OR = 0x08, AMO_AND = 0x0c, AMO_MIN = 0x10, AMO_MAX = 0x14;
  public static final int AMO_MINU = 0x18, AMO_MAXU = 0x1c;

  /** An A-extension instruction; {@code doubleword} selects .D over .W. */
  public static int amo(int funct5, boolean doubleword, int rd, int rs1, int rs2) {
    return r(0x2f, doubleword ? 3 : 2, funct5 << 2, rd, rs1, rs2);
  }

  // ------------------------------------------------------------------ Zicsr and privileged

  public static int csrrw(int rd, int csr, int rs1) {
    return i(0x73, 1, rd, rs1, csr);
  }

  public static int csrrs(int rd, int csr, int rs1) {
    return i(0x73, 2, rd, rs1, csr);
  }

  public static int csrrc(int rd, int csr, int rs1) {
    return i(0x73, 3, rd, rs1, csr);
  }

  public static int csrrwi(int rd, int csr, int zimm) {
    return i(0x73, 5, rd, zimm, csr);
  }

  public static int csrrsi(int rd, int csr, int zimm) {
    return i(0x73, 6, rd, zimm, csr);
  }

  public static int csrrci(int rd, int csr, int zimm) {
    return i(0x73, 7, rd, zimm, csr);
  }

  public static int mret() {
    return 0x30200073;
  }

  public static int sret() {
    return 0x10200073;
  }

  public static int wfi() {
    return 0x10500073;
  }

  public static int sfenceVma(int rs1, int rs2) {
    return r(0x73, 0, 0x09, 0, rs1, rs2);
  }

  // ------------------------------------------------------------------ F and D

  public static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;

  public static int flw(int rd, int rs1, int imm) {
    return i(0x07, 2, rd, rs1, imm);
  }

  public static int fld(int rd, int rs1, int imm) {
    return i(0x07, 3, rd, rs1, imm);
  }

  public static int fsw(int rs2, int rs1, int imm) {
    return s(0x27, 2, rs1, rs2, imm);
  }

  public static int fsd(int rs2, int rs1, int imm) {
    return s(0x27, 3, rs1, rs2, imm);
  }

  /** An OP-FP instruction: {@code funct5} as in the manual's table, {@code d} for double. */
  public static int fp(int funct5, boolean d, int rm, int rd, int rs1, int rs2) {
    return r(0x53, rm, funct5 << 2 | (d ? 1 : 0), rd, rs1, rs2);
  }

  public static int fadd(boolean d, int rm, int rd, int rs1, int rs2) {
    return fp(0x00, d, rm, rd, rs1, rs2);
  }

  public static int fsub(boolean d, int rm, int rd, int rs1, int rs2) {
    return fp(0x01, d, rm, rd, rs1, rs2);
  }

  public static int fmul(boolean d, int rm, int rd, int rs1, int rs2) {
    return fp(0x02, d, rm, rd, rs1, rs2);
  }

  public static int fdiv(boolean d, int rm, int rd, int rs1, int rs2) {
    return fp(0x03, d, rm, rd, rs1, rs2);
  }

  public static int fsqrt(boolean d, int rm, int rd, int rs1) {
    return fp(0x0b, d, rm, rd, rs1, 0);
  }

  public static int fsgnj(boolean d, int rd, int rs1, int rs2) {
    return fp(0x04, d, 0, rd, rs1, rs2);
  }

  public static int fsgnjn(boolean d, int rd, int rs1, int rs2) {
    return fp(0x04, d, 1, rd, rs1, rs2);
  }

  public static int fsgnjx(boolean d, int rd, int rs1, int rs2) {
    return fp(0x04, d, 2, rd, rs1, rs2);
  }

  public static int fmin(boolean d, int rd, int rs1, int rs2) {
    return fp(0x05, d, 0, rd, rs1, rs2);
  }

  public static int fmax(boolean d, int rd, int rs1, int rs2) {
    return fp(0x05, d, 1, rd, rs1, rs2);
  }

  public static int fle(boolean d, int rd, int rs1, int rs2) {
    return fp(0x14, d, 0, rd, rs1, rs2);
  }

  public static int flt(boolean d, int rd, int rs1, int rs2) {
    return fp(0x14, d, 1, rd, rs1, rs2);
  }

  public static int feq(boolean d, int rd, int rs1, int rs2) {
    return fp(0x14, d, 2, rd, rs1, rs2);
  }

  /** fcvt.{w,wu,l,lu}.{s,d}: {@code kind} 0 = w, 1 = wu, 2 = l, 3 = lu. */
  public static int fcvtToInt(boolean d, int kind, int rm, int rd, int rs1) {
    return fp(0x18, d, rm, rd, rs1, kind);
  }

  /** fcvt.{s,d}.{w,wu,l,lu}. */
  public static int fcvtFromInt(boolean d, int kind, int rm, int rd, int rs1) {
    return fp(0x1a, d, rm, rd, rs1, kind);
  }

  public static int fcvtSD(int rm, int rd, int rs1) {
    return fp(0x08, false, rm, rd, rs1, 1);
  }

  public static int fcvtDS(int rm, int rd, int rs1) {
    return fp(0x08, true, rm, rd, rs1, 0);
  }

  public static int fmvXW(int rd, int rs1) {
    return fp(0x1c, false, 0, rd, rs1, 0);
  }

  public static int fmvXD(int rd, int rs1) {
    return fp(0x1c, true, 0, rd, rs1, 0);
  }

  public static int fclass(boolean d, int rd, int rs1) {
    return fp(0x1c, d, 1, rd, rs1, 0);
  }

  public static int fmvWX(int rd, int rs1) {
    return fp(0x1e, false, 0, rd, rs1, 0);
  }

  public static int fmvDX(int rd, int rs1) {
    return fp(0x1e, true, 0, rd, rs1, 0);
  }

  public static int fmadd(boolean d, int rm, int rd, int rs1, int rs2, int rs3) {
    return r4(0x43, d ? 1 : 0, rm, rd, rs1, rs2, rs3);
  }

  public static int fmsub(boolean d, int rm, int rd, int rs1, int rs2, int rs3) {
    return r4(0x47, d ? 1 : 0, rm, rd, rs1, rs2, rs3);
  }

  public static int fnmsub(boolean d, int rm, int rd, int rs1, int rs2, int rs3) {
    return r4(0x4b, d ? 1 : 0, rm, rd, rs1, rs2, rs3);
  }

  public static int fnmadd(boolean d, int rm, int rd, int rs1, int rs2, int rs3) {
    return r4(0x4f, d ? 1 : 0, rm, rd, rs1, rs2, rs3);
  }

  // ------------------------------------------------------------------ C (16-bit parcels)

  private static int bits(int v, int hi, int lo) {
    return (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
  }

  /** x8..x15 as the 3-bit register field of the CIW/CL/CS/CB formats. */
  private static int creg(int x) {
    if (x < 8 || x > 15) {
      throw new IllegalArgumentException("x" + x + " has no 3-bit encoding");
    }
    return x - 8;
  }

  private static int ci(int f3, int rd, int imm6, int op) {
    return f3 << 13 | bits(imm6, 5, 5) << 12 | rd << 7 | bits(imm6, 4, 0) << 2 | op;
  }

  public static int cNop() {
    return 0x0001;
  }

  public static int cAddi(int rd, int imm) {
    return ci(0, rd, imm, 1);
  }

  public static int cAddiw(int rd, int imm) {
    return ci(1, rd, imm, 1);
  }

  public static int cLi(int rd, int imm) {
    return ci(2, rd, imm, 1);
  }

  /** c.lui rd, imm20: imm20 is the value's bits 31:12 (sign-extended from bit 17). */
  public static int cLui(int rd, int imm20) {
    return ci(3, rd, imm20 & 0x3f, 1);
  }

  public static int cSlli(int rd, int shamt) {
    return ci(0, rd, shamt, 2);
  }

  public static int cMv(int rd, int rs2) {
    return 0x8 << 12 | rd << 7 | rs2 << 2 | 2;
  }

  public static int cAdd(int rd, int rs2) {
    return 0x9 << 12 | rd << 7 | rs2 << 2 | 2;
  }

  public static int cJr(int rs1) {
    return 0x8 << 12 | rs1 << 7 | 2;
  }

  public static int cJalr(int rs1) {
    return 0x9 << 12 | rs1 << 7 | 2;
  }

  public static int cEbreak() {
    return 0x9002;
  }

  public static int cJ(int offset) {
    int imm =
        bits(offset, 11, 11) << 10
            | bits(offset, 4, 4) << 9
            | bits(offset, 9, 8) << 7
            | bits(offset, 10, 10) << 6
            | bits(offset, 6, 6) << 5
            | bits(offset, 7, 7) << 4
            | bits(offset, 3, 1) << 1
            | bits(offset, 5, 5);
    return 5 << 13 | imm << 2 | 1;
  }

  private static int cb(int f3, int rs1, int offset) {
    return f3 << 13
        | bits(offset, 8, 8) << 12
        | bits(offset, 4, 3) << 10
        | creg(rs1) << 7
        | bits(offset, 7, 6) << 5
        | bits(offset, 2, 1) << 3
        | bits(offset, 5, 5) << 2
        | 1;
  }

  public static int cBeqz(int rs1, int offset) {
    return cb(6, rs1, offset);
  }

  public static int cBnez(int rs1, int offset) {
    return cb(7, rs1, offset);
  }

  /** c.lw/c.sw: word offsets, uimm[5:3] in 12:10, uimm[2] in 6, uimm[6] in 5. */
  private static int clw(int f3, int rs1, int r, int uimm) {
    return f3 << 13
        | bits(uimm, 5, 3) << 10
        | creg(rs1) << 7
        | bits(uimm, 2, 2) << 6
        | bits(uimm, 6, 6) << 5
        | creg(r) << 2;
  }

  /** c.ld/c.sd/c.fld/c.fsd: doubleword offsets, uimm[5:3] in 12:10, uimm[7:6] in 6:5. */
  private static int cld(int f3, int rs1, int r, int uimm) {
    return f3 << 13
        | bits(uimm, 5, 3) << 10
        | creg(rs1) << 7
        | bits(uimm, 7, 6) << 5
        | creg(r) << 2;
  }

  public static int cLw(int rd, int rs1, int uimm) {
    return clw(2, rs1, rd, uimm);
  }

  public static int cSw(int rs2, int rs1, int uimm) {
    return clw(6, rs1, rs2, uimm);
  }

  public static int cLd(int rd, int rs1, int uimm) {
    return cld(3, rs1, rd, uimm);
  }

  public static int cSd(int rs2, int rs1, int uimm) {
    return cld(7, rs1, rs2, uimm);
  }

  /** c.fld: {@code fd} is f8..f15, given as 8..15. */
  public static int cFld(int fd, int rs1, int uimm) {
    return cld(1, rs1, fd, uimm);
  }

  public static int cLdsp(int rd, int uimm) {
    return 3 << 13
        | bits(uimm, 5, 5) << 12
        | rd << 7
        | bits(uimm, 4, 3) << 5
        | bits(uimm, 8, 6) << 2
        | 2;
  }

  public static int cSdsp(int rs2, int uimm) {
    return 7 << 13 | bits(uimm, 5, 3) << 10 | bits(uimm, 8, 6) << 7 | rs2 << 2 | 2;
  }
}
