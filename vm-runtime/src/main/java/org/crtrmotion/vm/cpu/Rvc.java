package org.crtrmotion.vm.cpu;

/**
 * Expands RVC ("C" extension) parcels into the equivalent 32-bit RV64G instruction words, for a
 * hart that implements RV64 with the D extension (RV64GC).
 *
 * <p>Every compressed instruction has exactly one 32-bit equivalent, so the decoder can expand at
 * decode time and keep a single execution path. Two consequences for the caller: the expansion must
 * be executed with an instruction length of 2, so that the link value of {@code C.JALR} ({@code
 * jalr x1, 0(rs1)}) is {@code pc + 2} and the fall-through of every instruction is {@code pc + 2};
 * and branch and jump offsets stay relative to the compressed instruction's own {@code pc}, which
 * is the expansion's {@code pc} too.
 *
 * <p>HINT encodings are legal and expand to the computational instruction they are encoded as,
 * which writes {@code x0} or writes a register with its own value, so they have no architectural
 * effect. Reserved encodings, the RV32-only meanings of shared opcodes ({@code C.JAL}, {@code
 * C.FLW}, {@code C.FSW}, ...), and the permanently illegal all-zero parcel expand to {@link
 * #ILLEGAL}.
 */
public final class Rvc {

  /** Returned for parcels that must raise an illegal-instruction exception on RV64GC. */
  public static final int ILLEGAL = 0;

  private static final int ZERO = 0;
  private static final int RA = 1;
  private static final int SP = 2;

  private static final int LOAD = 0x03;
  private static final int LOAD_FP = 0x07;
  private static final int OP_IMM = 0x13;
  private static final int OP_IMM_32 = 0x1b;
  private static final int STORE = 0x23;
  private static final int STORE_FP = 0x27;
  private static final int OP = 0x33;
  private static final int LUI = 0x37;
  private static final int OP_32 = 0x3b;
  private static final int BRANCH = 0x63;
  private static final int JALR = 0x67;
  private static final int JAL = 0x6f;

  private static final int EBREAK = 0x0010_0073;

  // funct3 of the expansions, named after the 32-bit instructions they select.
  private static final int ADD_SUB = 0, SLL = 1, XOR = 4, SRL_SRA = 5, OR = 6, AND = 7;
  private static final int BEQ = 0, BNE = 1;
  private static final int WORD = 2, DOUBLE = 3;

  private static final int SUB_SRA = 0x20; // funct7 of SUB/SUBW; bit 10 of SRAI's immediate

  private Rvc() {}

  /**
   * Returns the 32-bit RV64G instruction equivalent to the 16-bit parcel in the low half of {@code
   * halfword} (the upper half is ignored, so a fetched 32-bit word can be passed as is), or {@link
   * #ILLEGAL} when the parcel is illegal or reserved on RV64GC. A parcel whose low two bits are
   * {@code 11} is the start of a 32-bit instruction, not an RVC parcel, and also yields {@link
   * #ILLEGAL}.
   */
  public static int expand(int halfword) {
    int c = halfword & 0xffff;
    switch (c & 0b11) {
      case 0b00:
        return quadrant0(c);
      case 0b01:
        return quadrant1(c);
      case 0b10:
        return quadrant2(c);
      default:
        return ILLEGAL;
    }
  }

  private static int quadrant0(int c) {
    int rdOrRs2 = compressedRegister(c, 2);
    int rs1 = compressedRegister(c, 7);
    switch (funct3(c)) {
      case 0:
        { // C.ADDI4SPN; nzuimm = 0 is reserved, which also covers the all-zero parcel
          int imm = addi4spnImmediate(c);
          return imm == 0 ? ILLEGAL : iType(imm, SP, ADD_SUB, rdOrRs2, OP_IMM);
        }
      case 1: // C.FLD
        return iType(doubleOffset(c), rs1, DOUBLE, rdOrRs2, LOAD_FP);
      case 2: // C.LW
        return iType(wordOffset(c), rs1, WORD, rdOrRs2, LOAD);
      case 3: // C.LD; C.FLW on RV32
        return iType(doubleOffset(c), rs1, DOUBLE, rdOrRs2, LOAD);
      case 5: // C.FSD
        return sType(doubleOffset(c), rdOrRs2, rs1, DOUBLE, STORE_FP);
      case 6: // C.SW
        return sType(wordOffset(c), rdOrRs2, rs1, WORD, STORE);
      case 7: // C.SD; C.FSW on RV32
        return sType(doubleOffset(c), rdOrRs2, rs1, DOUBLE, STORE);
      default: // 100 is reserved
        return ILLEGAL;
    }
  }

  private static int quadrant1(int c) {
    int rd = fullRegister(c, 7);
    switch (funct3(c)) {
      case 0: // C.ADDI; with rd = x0 it is C.NOP, with imm = 0 a HINT
        return iType(ciImmediate(c), rd, ADD_SUB, rd, OP_IMM);
      case 1: // C.ADDIW; C.JAL on RV32. imm = 0 is legal (sext.w), rd = x0 reserved
        return rd == ZERO ? ILLEGAL : iType(ciImmediate(c), rd, ADD_SUB, rd, OP_IMM_32);
      case 2: // C.LI; rd = x0 is a HINT
        return iType(ciImmediate(c), ZERO, ADD_SUB, rd, OP_IMM);
      case 3:
        return rd == SP ? addi16sp(c) : lui(c, rd);
      case 4:
        return miscAlu(c);
      case 5: // C.J
        return jType(jumpOffset(c), ZERO);
      case 6: // C.BEQZ
        return bType(branchOffset(c), ZERO, compressedRegister(c, 7), BEQ);
      default: // C.BNEZ
        return bType(branchOffset(c), ZERO, compressedRegister(c, 7), BNE);
    }
  }

  private static int addi16sp(int c) {
    int imm = addi16spImmediate(c);
    return imm == 0 ? ILLEGAL : iType(imm, SP, ADD_SUB, SP, OP_IMM);
  }

  private static int lui(int c, int rd) {
    // imm = 0 is reserved even for rd = x0, where a non-zero imm is a HINT.
    int imm = ciImmediate(c);
    return imm == 0 ? ILLEGAL : uType(imm, rd, LUI);
  }

  private static int miscAlu(int c) {
    int rd = compressedRegister(c, 7);
    switch (bits(c, 11, 10)) {
      case 0: // C.SRLI; shamt = 0 is a HINT (C.SRLI64 on RV128) and shifts by nothing here
        return iType(shiftAmount(c), rd, SRL_SRA, rd, OP_IMM);
      case 1: // C.SRAI
        return iType(SUB_SRA << 5 | shiftAmount(c), rd, SRL_SRA, rd, OP_IMM);
      case 2: // C.ANDI
        return iType(ciImmediate(c), rd, AND, rd, OP_IMM);
      default:
        return registerArithmetic(c, rd, compressedRegister(c, 2));
    }
  }

  private static int registerArithmetic(int c, int rd, int rs2) {
    // bit 12 selects the word (RV64-only) group, bits 6:5 the operation within the group.
    switch (bit(c, 12) << 2 | bits(c, 6, 5)) {
      case 0b000: // C.SUB
        return rType(SUB_SRA, rs2, rd, ADD_SUB, rd, OP);
      case 0b001: // C.XOR
        return rType(0, rs2, rd, XOR, rd, OP);
      case 0b010: // C.OR
        return rType(0, rs2, rd, OR, rd, OP);
      case 0b011: // C.AND
        return rType(0, rs2, rd, AND, rd, OP);
      case 0b100: // C.SUBW
        return rType(SUB_SRA, rs2, rd, ADD_SUB, rd, OP_32);
      case 0b101: // C.ADDW
        return rType(0, rs2, rd, ADD_SUB, rd, OP_32);
      default: // 110 and 111 are reserved
        return ILLEGAL;
    }
  }

  private static int quadrant2(int c) {
    int rd = fullRegister(c, 7);
    int rs2 = fullRegister(c, 2);
    switch (funct3(c)) {
      case 0: // C.SLLI; rd = x0 and shamt = 0 are HINTs
        return iType(shiftAmount(c), rd, SLL, rd, OP_IMM);
      case 1: // C.FLDSP; any f register, f0 included
        return iType(doubleStackLoadOffset(c), SP, DOUBLE, rd, LOAD_FP);
      case 2: // C.LWSP; rd = x0 is reserved
        return rd == ZERO ? ILLEGAL : iType(wordStackLoadOffset(c), SP, WORD, rd, LOAD);
      case 3: // C.LDSP; C.FLWSP on RV32. rd = x0 is reserved
        return rd == ZERO ? ILLEGAL : iType(doubleStackLoadOffset(c), SP, DOUBLE, rd, LOAD);
      case 4:
        return jumpMoveOrAdd(c, rd, rs2);
      case 5: // C.FSDSP
        return sType(doubleStackStoreOffset(c), rs2, SP, DOUBLE, STORE_FP);
      case 6: // C.SWSP
        return sType(wordStackStoreOffset(c), rs2, SP, WORD, STORE);
      default: // C.SDSP; C.FSWSP on RV32
        return sType(doubleStackStoreOffset(c), rs2, SP, DOUBLE, STORE);
    }
  }

  private static int jumpMoveOrAdd(int c, int rd, int rs2) {
    if (bit(c, 12) == 0) {
      if (rs2 != ZERO) {
        return rType(0, rs2, ZERO, ADD_SUB, rd, OP); // C.MV; rd = x0 is a HINT
      }
      return rd == ZERO ? ILLEGAL : iType(0, rd, 0, ZERO, JALR); // C.JR; rs1 = x0 is reserved
    }
    if (rs2 != ZERO) {
      return rType(0, rs2, rd, ADD_SUB, rd, OP); // C.ADD; rd = x0 is a HINT
    }
    return rd == ZERO ? EBREAK : iType(0, rd, 0, RA, JALR); // C.JALR; rs1 = x0 is C.EBREAK
  }

  // ---- RVC fields ----

  private static int funct3(int c) {
    return bits(c, 15, 13);
  }

  /** A 5-bit register specifier whose low bit is at {@code lo}. */
  private static int fullRegister(int c, int lo) {
    return bits(c, lo + 4, lo);
  }

  /**
   * A 3-bit rd'/rs1'/rs2' specifier whose low bit is at {@code lo}; it names x8..x15 or f8..f15.
   */
  private static int compressedRegister(int c, int lo) {
    return 8 + bits(c, lo + 2, lo);
  }

  private static int ciImmediate(int c) {
    return signExtend(move(c, 12, 12, 5) | move(c, 6, 2, 0), 6);
  }

  private static int shiftAmount(int c) {
    return move(c, 12, 12, 5) | move(c, 6, 2, 0);
  }

  private static int addi4spnImmediate(int c) {
    return move(c, 12, 11, 4) | move(c, 10, 7, 6) | move(c, 6, 6, 2) | move(c, 5, 5, 3);
  }

  private static int addi16spImmediate(int c) {
    int imm =
        move(c, 12, 12, 9)
            | move(c, 6, 6, 4)
            | move(c, 5, 5, 6)
            | move(c, 4, 3, 7)
            | move(c, 2, 2, 5);
    return signExtend(imm, 10);
  }

  /** C.LW / C.SW: offset scaled by 4. */
  private static int wordOffset(int c) {
    return move(c, 12, 10, 3) | move(c, 6, 6, 2) | move(c, 5, 5, 6);
  }

  /** C.LD / C.SD / C.FLD / C.FSD: offset scaled by 8. */
  private static int doubleOffset(int c) {
    return move(c, 12, 10, 3) | move(c, 6, 5, 6);
  }

  private static int wordStackLoadOffset(int c) {
    return move(c, 12, 12, 5) | move(c, 6, 4, 2) | move(c, 3, 2, 6);
  }

  private static int doubleStackLoadOffset(int c) {
    return move(c, 12, 12, 5) | move(c, 6, 5, 3) | move(c, 4, 2, 6);
  }

  private static int wordStackStoreOffset(int c) {
    return move(c, 12, 9, 2) | move(c, 8, 7, 6);
  }

  private static int doubleStackStoreOffset(int c) {
    return move(c, 12, 10, 3) | move(c, 9, 7, 6);
  }

  private static int jumpOffset(int c) {
    int imm =
        move(c, 12, 12, 11)
            | move(c, 11, 11, 4)
            | move(c, 10, 9, 8)
            | move(c, 8, 8, 10)
            | move(c, 7, 7, 6)
            | move(c, 6, 6, 7)
            | move(c, 5, 3, 1)
            | move(c, 2, 2, 5);
    return signExtend(imm, 12);
  }

  private static int branchOffset(int c) {
    int imm =
        move(c, 12, 12, 8)
            | move(c, 11, 10, 3)
            | move(c, 6, 5, 6)
            | move(c, 4, 3, 1)
            | move(c, 2, 2, 5);
    return signExtend(imm, 9);
  }

  // ---- 32-bit formats; immediates are passed as plain (sign-extended) values ----

  private static int rType(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
    return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
  }

  private static int iType(int imm, int rs1, int funct3, int rd, int opcode) {
    return imm << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
  }

  private static int sType(int imm, int rs2, int rs1, int funct3, int opcode) {
    return move(imm, 11, 5, 25)
        | rs2 << 20
        | rs1 << 15
        | funct3 << 12
        | move(imm, 4, 0, 7)
        | opcode;
  }

  private static int bType(int imm, int rs2, int rs1, int funct3) {
    return move(imm, 12, 12, 31)
        | move(imm, 10, 5, 25)
        | rs2 << 20
        | rs1 << 15
        | funct3 << 12
        | move(imm, 4, 1, 8)
        | move(imm, 11, 11, 7)
        | BRANCH;
  }

  /** {@code imm} is the value of bits 31:12 of the result, sign-extended. */
  private static int uType(int imm, int rd, int opcode) {
    return imm << 12 | rd << 7 | opcode;
  }

  private static int jType(int imm, int rd) {
    return move(imm, 20, 20, 31)
        | move(imm, 10, 1, 21)
        | move(imm, 11, 11, 20)
        | move(imm, 19, 12, 12)
        | rd << 7
        | JAL;
  }

  // ---- bit plumbing ----

  private static int bit(int value, int index) {
    return (value >>> index) & 1;
  }

  private static int bits(int value, int hi, int lo) {
    return (value >>> lo) & ((1 << (hi - lo + 1)) - 1);
  }

  /** Takes {@code value[hi:lo]} and places it with its low bit at {@code to}. */
  private static int move(int value, int hi, int lo, int to) {
    return bits(value, hi, lo) << to;
  }

  private static int signExtend(int value, int width) {
    return (value << (32 - width)) >> (32 - width);
  }
}
