package org.crtrmotion.vm.cpu;

/** Exception and interrupt codes of the privileged architecture (mcause/scause). */
public final class Causes {
  private Causes() {}

  public static final int MISALIGNED_FETCH = 0;
  public static final int FETCH_ACCESS = 1;
  public static final int ILLEGAL_INSTRUCTION = 2;
  public static final int BREAKPOINT = 3;
  public static final int MISALIGNED_LOAD = 4;
  public static final int LOAD_ACCESS = 5;
  public static final int MISALIGNED_STORE = 6;
  public static final int STORE_ACCESS = 7;
  public static final int ECALL_FROM_U = 8;
  public static final int ECALL_FROM_S = 9;
  public static final int ECALL_FROM_M = 11;
  public static final int FETCH_PAGE_FAULT = 12;
  public static final int LOAD_PAGE_FAULT = 13;
  public static final int STORE_PAGE_FAULT = 15;

  public static final int IRQ_S_SOFT = 1;
  public static final int IRQ_M_SOFT = 3;
  public static final int IRQ_S_TIMER = 5;
  public static final int IRQ_M_TIMER = 7;
  public static final int IRQ_S_EXT = 9;
  public static final int IRQ_M_EXT = 11;

  public static final long INTERRUPT_BIT = 1L << 63;

  private static final String[] EXCEPTIONS = {
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store/AMO address misaligned",
    "store/AMO access fault",
    "environment call from U-mode",
    "environment call from S-mode",
    "reserved (10)",
    "environment call from M-mode",
    "instruction page fault",
    "load page fault",
    "reserved (14)",
    "store/AMO page fault"
  };

  public static String name(long mcause) {
    int code = (int) (mcause & 0xff);
    if (mcause < 0) {
      switch (code) {
        case IRQ_S_SOFT:
          return "supervisor software interrupt";
        case IRQ_M_SOFT:
          return "machine software interrupt";
        case IRQ_S_TIMER:
          return "supervisor timer interrupt";
        case IRQ_M_TIMER:
          return "machine timer interrupt";
        case IRQ_S_EXT:
          return "supervisor external interrupt";
        case IRQ_M_EXT:
          return "machine external interrupt";
        default:
          return "interrupt " + code;
      }
    }
    return code < EXCEPTIONS.length ? EXCEPTIONS[code] : "exception " + code;
  }
}
