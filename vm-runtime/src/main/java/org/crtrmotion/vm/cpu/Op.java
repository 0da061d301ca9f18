package org.crtrmotion.vm.cpu;

/**
 * Operation ids of decoded instructions. Id 0 marks a slot of the decode cache that was never
 * decoded; ids fit in the low 8 bits of a decoded word (see {@link Decoder}).
 */
public final class Op {
  private Op() {}

  public static final int ILLEGAL = 1;
  public static final int CROSS_PAGE = 2;
  public static final int LUI = 3;
  public static final int AUIPC = 4;
  public static final int JAL = 5;
  public static final int JALR = 6;
  public static final int BEQ = 7;
  public static final int BNE = 8;
  public static final int BLT = 9;
  public static final int BGE = 10;
  public static final int BLTU = 11;
  public static final int BGEU = 12;
  public static final int LB = 13;
  public static final int LH = 14;
  public static final int LW = 15;
  public static final int LD = 16;
  public static final int LBU = 17;
  public static final int LHU = 18;
  public static final int LWU = 19;
  public static final int SB = 20;
  public static final int SH = 21;
  public static final int SW = 22;
  public static final int SD = 23;
  public static final int ADDI = 24;
  public static final int SLTI = 25;
  public static final int SLTIU = 26;
  public static final int XORI = 27;
  public static final int ORI = 28;
  public static final int ANDI = 29;
  public static final int SLLI = 30;
  public static final int SRLI = 31;
  public static final int SRAI = 32;
  public static final int ADD = 33;
  public static final int SUB = 34;
  public static final int SLL = 35;
  public static final int SLT = 36;
  public static final int SLTU = 37;
  public static final int XOR = 38;
  public static final int SRL = 39;
  public static final int SRA = 40;
  public static final int OR = 41;
  public static final int AND = 42;
  public static final int ADDIW = 43;
  public static final int SLLIW = 44;
  public static final int SRLIW = 45;
  public static final int SRAIW = 46;
  public static final int ADDW = 47;
  public static final int SUBW = 48;
  public static final int SLLW = 49;
  public static final int SRLW = 50;
  public static final int SRAW = 51;
  public static final int FENCE = 52;
  public static final int FENCE_I = 53;
  public static final int ECALL = 54;
  public static final int EBREAK = 55;
  public static final int MUL = 56;
  public static final int MULH = 57;
  public static final int MULHSU = 58;
  public static final int MULHU = 59;
  public static final int DIV = 60;
  public static final int DIVU = 61;
  public static final int REM = 62;
  public static final int REMU = 63;
  public static final int MULW = 64;
  public static final int DIVW = 65;
  public static final int DIVUW = 66;
  public static final int REMW = 67;
  public static final int REMUW = 68;
  public static final int LR_W = 69;
  public static final int SC_W = 70;
  public static final int AMOSWAP_W = 71;
  public static final int AMOADD_W = 72;
  public static final int AMOXOR_W = 73;
  public static final int AMOAND_W = 74;
  public static final int AMOOR_W = 75;
  public static final int AMOMIN_W = 76;
  public static final int AMOMAX_W = 77;
  public static final int AMOMINU_W = 78;
  public static final int AMOMAXU_W = 79;
  public static final int LR_D = 80;
  public static final int SC_D = 81;
  public static final int AMOSWAP_D = 82;
  public static final int AMOADD_D = 83;
  public static final int AMOXOR_D = 84;
  public static final int AMOAND_D = 85;
  public static final int AMOOR_D = 86;
  public static final int AMOMIN_D = 87;
  public static final int AMOMAX_D = 88;
  public static final int AMOMINU_D = 89;
  public static final int AMOMAXU_D = 90;
  public static final int CSRRW = 91;
  public static final int CSRRS = 92;
  public static final int CSRRC = 93;
  public static final int CSRRWI = 94;
  public static final int CSRRSI = 95;
  public static final int CSRRCI = 96;
  public static final int MRET = 97;
  public static final int SRET = 98;
  public static final int WFI = 99;
  public static final int SFENCE_VMA = 100;
  public static final int FLW = 101;
  public static final int FSW = 102;
  public static final int FMADD_S = 103;
  public static final int FMSUB_S = 104;
  public static final int FNMSUB_S = 105;
  public static final int FNMADD_S = 106;
  public static final int FADD_S = 107;
  public static final int FSUB_S = 108;
  public static final int FMUL_S = 109;
  public static final int FDIV_S = 110;
  public static final int FSQRT_S = 111;
  public static final int FSGNJ_S = 112;
  public static final int FSGNJN_S = 113;
  public static final int FSGNJX_S = 114;
  public static final int FMIN_S = 115;
  public static final int FMAX_S = 116;
  public static final int FCVT_W_S = 117;
  public static final int FCVT_WU_S = 118;
  public static final int FCVT_L_S = 119;
  public static final int FCVT_LU_S = 120;
  public static final int FMV_X_W = 121;
  public static final int FEQ_S = 122;
  public static final int FLT_S = 123;
  public static final int FLE_S = 124;
  public static final int FCLASS_S = 125;
  public static final int FCVT_S_W = 126;
  public static final int FCVT_S_WU = 127;
  public static final int FCVT_S_L = 128;
  public static final int FCVT_S_LU = 129;
  public static final int FMV_W_X = 130;
  public static final int FLD = 131;
  public static final int FSD = 132;
  public static final int FMADD_D = 133;
  public static final int FMSUB_D = 134;
  public static final int FNMSUB_D = 135;
  public static final int FNMADD_D = 136;
  public static final int FADD_D = 137;
  public static final int FSUB_D = 138;
  public static final int FMUL_D = 139;
  public static final int FDIV_D = 140;
  public static final int FSQRT_D = 141;
  public static final int FSGNJ_D = 142;
  public static final int FSGNJN_D = 143;
  public static final int FSGNJX_D = 144;
  public static final int FMIN_D = 145;
  public static final int FMAX_D = 146;
  public static final int FCVT_W_D = 147;
  public static final int FCVT_WU_D = 148;
  public static final int FCVT_L_D = 149;
  public static final int FCVT_LU_D = 150;
  public static final int FMV_X_D = 151;
  public static final int FEQ_D = 152;
  public static final int FLT_D = 153;
  public static final int FLE_D = 154;
  public static final int FCLASS_D = 155;
  public static final int FCVT_D_W = 156;
  public static final int FCVT_D_WU = 157;
  public static final int FCVT_D_L = 158;
  public static final int FCVT_D_LU = 159;
  public static final int FMV_D_X = 160;
  public static final int FCVT_S_D = 161;
  public static final int FCVT_D_S = 162;

  public static final int COUNT = 163;

  private static final String[] NAMES = {
    "undecoded",
    "illegal",
    "cross.page",
    "lui",
    "auipc",
    "jal",
    "jalr",
    "beq",
    "bne",
    "blt",
    "bge",
    "bltu",
    "bgeu",
    "lb",
    "lh",
    "lw",
    "ld",
    "lbu",
    "lhu",
    "lwu",
    "sb",
    "sh",
    "sw",
    "sd",
    "addi",
    "slti",
    "sltiu",
    "xori",
    "ori",
    "andi",
    "slli",
    "srli",
    "srai",
    "add",
    "sub",
    "sll",
    "slt",
    "sltu",
    "xor",
    "srl",
    "sra",
    "or",
    "and",
    "addiw",
    "slliw",
    "srliw",
    "sraiw",
    "addw",
    "subw",
    "sllw",
    "srlw",
    "sraw",
    "fence",
    "fence.i",
    "ecall",
    "ebreak",
    "mul",
    "mulh",
    "mulhsu",
    "mulhu",
    "div",
    "divu",
    "rem",
    "remu",
    "mulw",
    "divw",
    "divuw",
    "remw",
    "remuw",
    "lr.w",
    "sc.w",
    "amoswap.w",
    "amoadd.w",
    "amoxor.w",
    "amoand.w",
    "amoor.w",
    "amomin.w",
    "amomax.w",
    "amominu.w",
    "amomaxu.w",
    "lr.d",
    "sc.d",
    "amoswap.d",
    "amoadd.d",
    "amoxor.d",
    "amoand.d",
    "amoor.d",
    "amomin.d",
    "amomax.d",
    "amominu.d",
    "amomaxu.d",
    "csrrw",
    "csrrs",
    "csrrc",
    "csrrwi",
    "csrrsi",
    "csrrci",
    "mret",
    "sret",
    "wfi",
    "sfence.vma",
    "flw",
    "fsw",
    "fmadd.s",
    "fmsub.s",
    "fnmsub.s",
    "fnmadd.s",
    "fadd.s",
    "fsub.s",
    "fmul.s",
    "fdiv.s",
    "fsqrt.s",
    "fsgnj.s",
    "fsgnjn.s",
    "fsgnjx.s",
    "fmin.s",
    "fmax.s",
    "fcvt.w.s",
    "fcvt.wu.s",
    "fcvt.l.s",
    "fcvt.lu.s",
    "fmv.x.w",
    "feq.s",
    "flt.s",
    "fle.s",
    "fclass.s",
    "fcvt.s.w",
    "fcvt.s.wu",
    "fcvt.s.l",
    "fcvt.s.lu",
    "fmv.w.x",
    "fld",
    "fsd",
    "fmadd.d",
    "fmsub.d",
    "fnmsub.d",
    "fnmadd.d",
    "fadd.d",
    "fsub.d",
    "fmul.d",
    "fdiv.d",
    "fsqrt.d",
    "fsgnj.d",
    "fsgnjn.d",
    "fsgnjx.d",
    "fmin.d",
    "fmax.d",
    "fcvt.w.d",
    "fcvt.wu.d",
    "fcvt.l.d",
    "fcvt.lu.d",
    "fmv.x.d",
    "feq.d",
    "flt.d",
    "fle.d",
    "fclass.d",
    "fcvt.d.w",
    "fcvt.d.wu",
    "fcvt.d.l",
    "fcvt.d.lu",
    "fmv.d.x",
    "fcvt.s.d",
    "fcvt.d.s"
  };

  /** Mnemonic of an operation id, for diagnostics and tests. */
  public static String name(int op) {
    return op >= 0 && op < NAMES.length ? NAMES[op] : "op" + op;
  }
}
