package org.crtrmotion.vm.cpu;

/**
 * A synchronous exception raised while executing an instruction. It unwinds the interpreter to the
 * trap entry; it carries no stack trace because it is guest control flow, not a host error.
 */
public final class Trap extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A tval asking the interpreter to fill in the bits of the trapping instruction (for
   * illegal-instruction traps raised where the raw bits are not at hand). Only meaningful with
   * {@link Causes#ILLEGAL_INSTRUCTION}: for the other causes it is the address 1 << 63.
   */
  public static final long INSTRUCTION_BITS = Long.MIN_VALUE;

  public final int cause; // mcause exception code (interrupt bit never set here)
  public final long tval; // faulting address or instruction bits

  public Trap(int cause, long tval) {
    super(null, null, false, false);
    this.cause = cause;
    this.tval = tval;
  }

  @Override
  public String getMessage() {
    return Causes.name(cause) + " (tval 0x" + Long.toHexString(tval) + ")";
  }
}
