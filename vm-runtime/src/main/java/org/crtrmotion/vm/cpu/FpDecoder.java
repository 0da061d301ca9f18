package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Decoder.illegal;
import static org.crtrmotion.vm.cpu.Decoder.pack;
import static org.crtrmotion.vm.cpu.Decoder.xd;
import static org.crtrmotion.vm.cpu.Op.*;

/** Decodes the OP-FP major opcode (F and D extensions). */
final class FpDecoder {
  private static final int[] CVT_TO_INT_S = {FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S};
  private static final int[] CVT_TO_INT_D = {FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D};
  private static final int[] CVT_FROM_INT_S = {FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU};
  private static final int[] CVT_FROM_INT_D = {FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU};

  private FpDecoder() {}

  /** Static rounding modes 5 and 6 are reserved; 7 (dynamic) is checked against frm at run time. */
  static boolean validRm(int rm) {
    return rm != 5 && rm != 6;
  }

  static long opFp(int insn, int rd, int rs1, int rs2, int rm, int f7) {
    boolean d = (f7 & 1) != 0;
    if ((f7 & 2) != 0) {
      return illegal(insn); // fmt 2 (H) and 3 (Q) are not implemented
    }
    switch (f7 >>> 2) {
      case 0x00:
        return rounded(insn, d ? FADD_D : FADD_S, rd, rs1, rs2, rm);
      case 0x01:
        return rounded(insn, d ? FSUB_D : FSUB_S, rd, rs1, rs2, rm);
      case 0x02:
        return rounded(insn, d ? FMUL_D : FMUL_S, rd, rs1, rs2, rm);
      case 0x03:
        return rounded(insn, d ? FDIV_D : FDIV_S, rd, rs1, rs2, rm);
      case 0x0b:
        return rs2 == 0 ? rounded(insn, d ? FSQRT_D : FSQRT_S, rd, rs1, 0, rm) : illegal(insn);
      case 0x04:
        if (rm > 2) {
          return illegal(insn);
        }
        return pack(
            d
                ? new int[] {FSGNJ_D, FSGNJN_D, FSGNJX_D}[rm]
                : new int[] {FSGNJ_S, FSGNJN_S, FSGNJX_S}[rm],
            rd,
            rs1,
            rs2,
            0);
      case 0x05:
        if (rm > 1) {
          return illegal(insn);
        }
        return pack(rm == 0 ? (d ? FMIN_D : FMIN_S) : (d ? FMAX_D : FMAX_S), rd, rs1, rs2, 0);
      case 0x08:
        if (d && rs2 == 0) {
          return rounded(insn, FCVT_D_S, rd, rs1, 0, rm);
        }
        return !d && rs2 == 1 ? rounded(insn, FCVT_S_D, rd, rs1, 0, rm) : illegal(insn);
      case 0x14:
        if (rm > 2) {
          return illegal(insn);
        }
        int cmp =
            rm == 2 ? (d ? FEQ_D : FEQ_S) : rm == 1 ? (d ? FLT_D : FLT_S) : (d ? FLE_D : FLE_S);
        return pack(cmp, xd(rd), rs1, rs2, 0);
      case 0x18:
        if (rs2 > 3) {
          return illegal(insn);
        }
        return rounded(insn, (d ? CVT_TO_INT_D : CVT_TO_INT_S)[rs2], xd(rd), rs1, 0, rm);
      case 0x1a:
        if (rs2 > 3) {
          return illegal(insn);
        }
        return rounded(insn, (d ? CVT_FROM_INT_D : CVT_FROM_INT_S)[rs2], rd, rs1, 0, rm);
      case 0x1c:
        if (rs2 != 0) {
          return illegal(insn);
        }
        if (rm == 0) {
          return pack(d ? FMV_X_D : FMV_X_W, xd(rd), rs1, 0, 0);
        }
        return rm == 1 ? pack(d ? FCLASS_D : FCLASS_S, xd(rd), rs1, 0, 0) : illegal(insn);
      case 0x1e:
        return rs2 == 0 && rm == 0 ? pack(d ? FMV_D_X : FMV_W_X, rd, rs1, 0, 0) : illegal(insn);
      default:
        return illegal(insn);
    }
  }

  private static long rounded(int insn, int op, int rd, int rs1, int rs2, int rm) {
    return validRm(rm) ? pack(op, rd, rs1, rs2, rm) : illegal(insn);
  }
}
