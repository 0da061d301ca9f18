package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Op.*;

/**
 * Decodes instruction words into the packed form the interpreter switches on.
 *
 * <p>A decoded instruction is a {@code long}: the low 32 bits are the word {@code op | rd << 8 |
 * rs1 << 14 | rs2 << 19 | compressed << 24}, the high 32 bits the immediate. An integer destination
 * x0 is decoded as register 32, a scratch slot nobody reads, so the interpreter writes results
 * without testing for x0. Floating-point instructions carry {@code rm | rs3 << 3} in the immediate;
 * CSR instructions the CSR number; illegal instructions their own bits (for mtval).
 */
public final class Decoder {
  public static final int RD_SHIFT = 8;
  public static final int RS1_SHIFT = 14;
  public static final int RS2_SHIFT = 19;
  public static final int COMPRESSED = 1 << 24;

  /** Register index that stands for x0 as a destination. */
  public static final int X0_SINK = 32;

  private Decoder() {}

  public static int op(long decoded) {
    return (int) decoded & 0xff;
  }

  public static int rd(long decoded) {
    return ((int) decoded >>> RD_SHIFT) & 63;
  }

  public static int rs1(long decoded) {
    return ((int) decoded >>> RS1_SHIFT) & 31;
  }

  public static int rs2(long decoded) {
    return ((int) decoded >>> RS2_SHIFT) & 31;
  }

  public static int imm(long decoded) {
    return (int) (decoded >>> 32);
  }

  /** Decodes a 16-bit parcel (an RVC instruction). */
  public static long decode16(int parcel) {
    int expanded = Rvc.expand(parcel & 0xffff);
    if (expanded == 0) {
      return illegal(parcel & 0xffff) | COMPRESSED;
    }
    long d = decode32(expanded);
    if (op(d) == ILLEGAL) {
      return illegal(parcel & 0xffff) | COMPRESSED;
    }
    return d | COMPRESSED;
  }

  /** Decodes a 32-bit instruction word. */
  public static long decode32(int insn) {
    int rd = (insn >>> 7) & 31;
    int rs1 = (insn >>> 15) & 31;
    int rs2 = (insn >>> 20) & 31;
    int f3 = (insn >>> 12) & 7;
    int f7 = insn >>> 25;
    switch (insn & 0x7f) {
      case 0x37:
        return pack(LUI, xd(rd), 0, 0, insn & 0xfffff000);
      case 0x17:
        return pack(AUIPC, xd(rd), 0, 0, insn & 0xfffff000);
      case 0x6f:
        return pack(JAL, xd(rd), 0, 0, immJ(insn));
      case 0x67:
        return f3 == 0 ? pack(JALR, xd(rd), rs1, 0, insn >> 20) : illegal(insn);
      case 0x63:
        return branch(insn, f3, rs1, rs2);
      case 0x03:
        return load(insn, f3, rd, rs1);
      case 0x23:
        return store(insn, f3, rs1, rs2);
      case 0x13:
        return opImm(insn, f3, rd, rs1);
      case 0x1b:
        return opImm32(insn, f3, rd, rs1);
      case 0x33:
        return f7 == 1 ? mulDiv(f3, rd, rs1, rs2) : opReg(insn, f3, f7, rd, rs1, rs2);
      case 0x3b:
        return f7 == 1 ? mulDiv32(insn, f3, rd, rs1, rs2) : opReg32(insn, f3, f7, rd, rs1, rs2);
      case 0x0f:
        return miscMem(insn, f3);
      case 0x73:
        return system(insn, f3, rd, rs1, rs2, f7);
      case 0x2f:
        return atomic(insn, f3, rd, rs1, rs2);
      case 0x07:
        return fpLoad(insn, f3, rd, rs1);
      case 0x27:
        return fpStore(insn, f3, rs1, rs2);
      case 0x43:
      case 0x47:
      case 0x4b:
      case 0x4f:
        return fused(insn, rd, rs1, rs2);
      case 0x53:
        return FpDecoder.opFp(insn, rd, rs1, rs2, f3, f7);
      default:
        return illegal(insn);
    }
  }

  static long pack(int op, int rd, int rs1, int rs2, int imm) {
    int w = op | rd << RD_SHIFT | rs1 << RS1_SHIFT | rs2 << RS2_SHIFT;
    return ((long) imm << 32) | (w & 0xffffffffL);
  }

  static long illegal(int insn) {
    return pack(ILLEGAL, 0, 0, 0, insn);
  }

  /** Integer destination: x0 becomes the sink slot. */
  static int xd(int rd) {
    return rd == 0 ? X0_SINK : rd;
  }

  private static int immI(int insn) {
    return insn >> 20;
  }

  private static int immS(int insn) {
    return ((insn >> 25) << 5) | ((insn >>> 7) & 0x1f);
  }

  private static int immB(int insn) {
    return ((insn >> 31) << 12)
        | (((insn >>> 7) & 1) << 11)
        | (((insn >>> 25) & 0x3f) << 5)
        | (((insn >>> 8) & 0xf) << 1);
  }

  private static int immJ(int insn) {
    return ((insn >> 31) << 20)
        | (((insn >>> 12) & 0xff) << 12)
        | (((insn >>> 20) & 1) << 11)
        | (((insn >>> 21) & 0x3ff) << 1);
  }

  private static final int[] BRANCHES = {BEQ, BNE, 0, 0, BLT, BGE, BLTU, BGEU};
  private static final int[] LOADS = {LB, LH, LW, LD, LBU, LHU, LWU, 0};
  private static final int[] STORES = {SB, SH, SW, SD};
  private static final int[] REG_OPS = {ADD, SLL, SLT, SLTU, XOR, SRL, OR, AND};
  private static final int[] MUL_DIV = {MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU};
  private static final int[] MUL_DIV_32 = {MULW, 0, 0, 0, DIVW, DIVUW, REMW, REMUW};
  private static final int[] FUSED_S = {FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S};
  private static final int[] FUSED_D = {FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D};

  private static long branch(int insn, int f3, int rs1, int rs2) {
    int op = BRANCHES[f3];
    return op == 0 ? illegal(insn) : pack(op, 0, rs1, rs2, immB(insn));
  }

  private static long load(int insn, int f3, int rd, int rs1) {
    int op = LOADS[f3];
    return op == 0 ? illegal(insn) : pack(op, xd(rd), rs1, 0, immI(insn));
  }

  private static long store(int insn, int f3, int rs1, int rs2) {
    return f3 > 3 ? illegal(insn) : pack(STORES[f3], 0, rs1, rs2, immS(insn));
  }

  private static long opImm(int insn, int f3, int rd, int rs1) {
    int imm = immI(insn);
    switch (f3) {
      case 0:
        return pack(ADDI, xd(rd), rs1, 0, imm);
      case 2:
        return pack(SLTI, xd(rd), rs1, 0, imm);
      case 3:
        return pack(SLTIU, xd(rd), rs1, 0, imm);
      case 4:
        return pack(XORI, xd(rd), rs1, 0, imm);
      case 6:
        return pack(ORI, xd(rd), rs1, 0, imm);
      case 7:
        return pack(ANDI, xd(rd), rs1, 0, imm);
      case 1:
        return (insn >>> 26) == 0 ? pack(SLLI, xd(rd), rs1, 0, imm & 63) : illegal(insn);
      default: // 5
        if ((insn >>> 26) == 0) {
          return pack(SRLI, xd(rd), rs1, 0, imm & 63);
        }
        return (insn >>> 26) == 0x10 ? pack(SRAI, xd(rd), rs1, 0, imm & 63) : illegal(insn);
    }
  }

  private static long opImm32(int insn, int f3, int rd, int rs1) {
    int f7 = insn >>> 25;
    switch (f3) {
      case 0:
        return pack(ADDIW, xd(rd), rs1, 0, immI(insn));
      case 1:
        return f7 == 0 ? pack(SLLIW, xd(rd), rs1, 0, (insn >>> 20) & 31) : illegal(insn);
      case 5:
        if (f7 == 0) {
          return pack(SRLIW, xd(rd), rs1, 0, (insn >>> 20) & 31);
        }
        return f7 == 0x20 ? pack(SRAIW, xd(rd), rs1, 0, (insn >>> 20) & 31) : illegal(insn);
      default:
        return illegal(insn);
    }
  }

  private static long opReg(int insn, int f3, int f7, int rd, int rs1, int rs2) {
    int op;
    if (f7 == 0) {
      op = REG_OPS[f3];
    } else if (f7 == 0x20 && f3 == 0) {
      op = SUB;
    } else if (f7 == 0x20 && f3 == 5) {
      op = SRA;
    } else {
      return illegal(insn);
    }
    return pack(op, xd(rd), rs1, rs2, 0);
  }

  private static long opReg32(int insn, int f3, int f7, int rd, int rs1, int rs2) {
    int op;
    if (f7 == 0 && f3 == 0) {
      op = ADDW;
    } else if (f7 == 0x20 && f3 == 0) {
      op = SUBW;
    } else if (f7 == 0 && f3 == 1) {
      op = SLLW;
    } else if (f7 == 0 && f3 == 5) {
      op = SRLW;
    } else if (f7 == 0x20 && f3 == 5) {
      op = SRAW;
    } else {
      return illegal(insn);
    }
    return pack(op, xd(rd), rs1, rs2, 0);
  }

  private static long mulDiv(int f3, int rd, int rs1, int rs2) {
    int op = MUL_DIV[f3];
    return pack(op, xd(rd), rs1, rs2, 0);
  }

  private static long mulDiv32(int insn, int f3, int rd, int rs1, int rs2) {
    int op = MUL_DIV_32[f3];
    return op == 0 ? illegal(insn) : pack(op, xd(rd), rs1, rs2, 0);
  }

  private static long miscMem(int insn, int f3) {
    // FENCE ignores its unused fields (reserved for future hints), as QEMU does.
    if (f3 == 0) {
      return pack(FENCE, 0, 0, 0, 0);
    }
    return f3 == 1 ? pack(FENCE_I, 0, 0, 0, 0) : illegal(insn);
  }

  private static long system(int insn, int f3, int rd, int rs1, int rs2, int f7) {
    int csr = insn >>> 20;
    switch (f3) {
      case 0:
        return privileged(insn, rd, rs1, rs2, f7);
      case 1:
        return pack(CSRRW, xd(rd), rs1, 0, csr);
      case 2:
        return pack(CSRRS, xd(rd), rs1, 0, csr);
      case 3:
        return pack(CSRRC, xd(rd), rs1, 0, csr);
      case 5:
        return pack(CSRRWI, xd(rd), rs1, 0, csr);
      case 6:
        return pack(CSRRSI, xd(rd), rs1, 0, csr);
      case 7:
        return pack(CSRRCI, xd(rd), rs1, 0, csr);
      default:
        return illegal(insn);
    }
  }

  private static long privileged(int insn, int rd, int rs1, int rs2, int f7) {
    if (f7 == 0x09 && rd == 0) {
      return pack(SFENCE_VMA, 0, rs1, rs2, 0);
    }
    if (rd != 0 || rs1 != 0) {
      return illegal(insn);
    }
    switch (insn >>> 20) {
      case 0x000:
        return pack(ECALL, 0, 0, 0, 0);
      case 0x001:
        return pack(EBREAK, 0, 0, 0, 0);
      case 0x302:
        return pack(MRET, 0, 0, 0, 0);
      case 0x102:
        return pack(SRET, 0, 0, 0, 0);
      case 0x105:
        return pack(WFI, 0, 0, 0, 0);
      default:
        return illegal(insn);
    }
  }

  private static long atomic(int insn, int f3, int rd, int rs1, int rs2) {
    if (f3 != 2 && f3 != 3) {
      return illegal(insn);
    }
    boolean dw = f3 == 3;
    int f5 = insn >>> 27;
    int op;
    switch (f5) {
      case 0x02:
        if (rs2 != 0) {
          return illegal(insn);
        }
        op = dw ? LR_D : LR_W;
        break;
      case 0x03:
        op = dw ? SC_D : SC_W;
        break;
      case 0x01:
        op = dw ? AMOSWAP_D : AMOSWAP_W;
        break;
      case 0x00:
        op = dw ? AMOADD_D : AMOADD_W;
        break;
      case 0x04:
        op = dw ? AMOXOR_D : AMOXOR_W;
        break;
      case 0x0c:
        op = dw ? AMOAND_D : AMOAND_W;
        break;
      case 0x08:
        op = dw ? AMOOR_D : AMOOR_W;
        break;
      case 0x10:
        op = dw ? AMOMIN_D : AMOMIN_W;
        break;
      case 0x14:
        op = dw ? AMOMAX_D : AMOMAX_W;
        break;
      case 0x18:
        op = dw ? AMOMINU_D : AMOMINU_W;
        break;
      case 0x1c:
        op = dw ? AMOMAXU_D : AMOMAXU_W;
        break;
      default:
        return illegal(insn);
    }
    return pack(op, xd(rd), rs1, rs2, 0);
  }

  private static long fpLoad(int insn, int f3, int rd, int rs1) {
    if (f3 == 2) {
      return pack(FLW, rd, rs1, 0, immI(insn));
    }
    return f3 == 3 ? pack(FLD, rd, rs1, 0, immI(insn)) : illegal(insn);
  }

  private static long fpStore(int insn, int f3, int rs1, int rs2) {
    if (f3 == 2) {
      return pack(FSW, 0, rs1, rs2, immS(insn));
    }
    return f3 == 3 ? pack(FSD, 0, rs1, rs2, immS(insn)) : illegal(insn);
  }

  private static long fused(int insn, int rd, int rs1, int rs2) {
    int fmt = (insn >>> 25) & 3;
    int rm = (insn >>> 12) & 7;
    if (fmt > 1 || !FpDecoder.validRm(rm)) {
      return illegal(insn);
    }
    int which = ((insn & 0x7f) - 0x43) >>> 2; // madd, msub, nmsub, nmadd
    int op = (fmt == 0 ? FUSED_S : FUSED_D)[which];
    return pack(op, rd, rs1, rs2, rm | ((insn >>> 27) << 3));
  }
}
