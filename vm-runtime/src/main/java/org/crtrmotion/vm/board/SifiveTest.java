package org.crtrmotion.vm.board;

import org.crtrmotion.vm.bus.MmioDevice;

/** The SiFive test device ("finisher"): a guest powers off, fails with a code, or resets. */
public final class SifiveTest implements MmioDevice {
  public static final long BASE = 0x0010_0000L;
  static final int FAIL = 0x3333;
  static final int PASS = 0x5555;
  static final int RESET = 0x7777;

  private final PowerControl listener;

  public SifiveTest(PowerControl listener) {
    this.listener = listener;
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public long size() {
    return 0x1000;
  }

  @Override
  public boolean accepts(long offset, int width) {
    // QEMU takes 16- and 32-bit writes; OpenSBI's driver writes 16 bits.
    return (width == 2 || width == 4) && offset == 0;
  }

  @Override
  public long read(long offset, int width) {
    return 0;
  }

  @Override
  public void write(long offset, int width, long value) {
    int status = (int) value & 0xffff;
    int code = (int) (value >>> 16) & 0xffff;
    switch (status) {
      case PASS:
        listener.powerOff(0);
        break;
      case FAIL:
        listener.powerOff(code);
        break;
      case RESET:
        listener.reset();
        break;
      default:
        break; // QEMU ignores other values too
    }
  }
}
