package org.crtrmotion.vm.board;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import org.crtrmotion.vm.bus.MmioDevice;
import org.crtrmotion.vm.checkpoint.proto.UartState;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;

/**
 * An NS16550A UART as QEMU's virt board has it. Transmission completes at once (in guest time), so
 * the transmitter is always empty; received bytes wait in a FIFO. Interrupts go to the PLIC.
 */
public final class Uart16550 implements MmioDevice, Digestible {
  public static final long BASE = 0x1000_0000L;
  public static final int IRQ = 10;

  private static final int IER_RDI = 1; // received data available
  private static final int IER_THRI = 2; // transmitter holding register empty
  private static final int LSR_DR = 0x01;
  private static final int LSR_THRE = 0x20;
  private static final int LSR_TEMT = 0x40;
  private static final int LCR_DLAB = 0x80;
  private static final int MCR_LOOP = 0x10;
  private static final int RX_FIFO_CAPACITY = 16;

  /** Where transmitted bytes go. */
  public interface Output {
    void write(int b);
  }

  private final Output output;
  private final Plic plic;
  private final ArrayDeque<Integer> rx = new ArrayDeque<>();
  private int ier; // interrupt enable
  private int lcr; // line control
  private int mcr; // modem control
  private int scr; // scratch
  private int fcr; // FIFO control (write-only)
  private int dll = 0x0c; // divisor latch, as QEMU resets it
  private int dlm;
  private boolean thrInterruptPending; // THRE interrupt, cleared by reading IIR or writing THR

  public Uart16550(Output output, Plic plic) {
    this.output = output;
    this.plic = plic;
  }

  @Override
  public String name() {
    return "uart0";
  }

  @Override
  public long size() {
    return 0x100;
  }

  /** A byte arrives from the outside; returns false when the FIFO is full. */
  public boolean receive(int b) {
    if (rx.size() >= RX_FIFO_CAPACITY) {
      return false;
    }
    rx.add(b & 0xff);
    updateInterrupt();
    return true;
  }

  @Override
  public long read(long offset, int width) {
    boolean dlab = (lcr & LCR_DLAB) != 0;
    switch ((int) offset) {
      case 0:
        if (dlab) {
          return dll;
        }
        Integer b = rx.poll();
        updateInterrupt();
        return b == null ? 0 : b;
      case 1:
        return dlab ? dlm : ier;
      case 2:
        return readIir();
      case 3:
        return lcr;
      case 4:
        return mcr;
      case 5:
        return (rx.isEmpty() ? 0 : LSR_DR) | LSR_THRE | LSR_TEMT;
      case 6:
        return modemStatus();
      case 7:
        return scr;
      default:
        return 0;
    }
  }

  private int readIir() {
    int fifo = (fcr & 1) != 0 ? 0xc0 : 0;
    if ((ier & IER_RDI) != 0 && !rx.isEmpty()) {
      return fifo | 0x04;
    }
    if (thrInterruptPending && (ier & IER_THRI) != 0) {
      thrInterruptPending = false;
      updateInterrupt();
      return fifo | 0x02;
    }
    return fifo | 0x01;
  }

  @Override
  public void write(long offset, int width, long value) {
    int v = (int) value & 0xff;
    boolean dlab = (lcr & LCR_DLAB) != 0;
    switch ((int) offset) {
      case 0:
        if (dlab) {
          dll = v;
        } else {
          if (loopback()) {
            receive(v); // the 8250 driver's self-test sends to itself
          } else {
            output.write(v);
          }
          thrInterruptPending = true;
        }
        break;
      case 1:
        if (dlab) {
          dlm = v;
        } else {
          boolean enablingThri = (ier & IER_THRI) == 0 && (v & IER_THRI) != 0;
          ier = v & 0x0f;
          if (enablingThri) {
            thrInterruptPending = true; // the holding register is empty now
          }
        }
        break;
      case 2:
        fcr = v;
        if ((v & 2) != 0) {
          rx.clear();
        }
        break;
      case 3:
        lcr = v;
        break;
      case 4:
        mcr = v & 0x1f;
        break;
      case 7:
        scr = v;
        break;
      default:
        break;
    }
    updateInterrupt();
  }

  private boolean loopback() {
    return (mcr & MCR_LOOP) != 0;
  }

  /**
   * With no backend flow control, DCD, DSR and CTS are asserted, as QEMU reports them; in loopback
   * the modem outputs come back as inputs (OUT2 to DCD, OUT1 to RI, DTR to DSR, RTS to CTS).
   */
  private int modemStatus() {
    if (!loopback()) {
      return 0xb0;
    }
    return ((mcr & 0x08) << 4) | ((mcr & 0x04) << 4) | ((mcr & 0x01) << 5) | ((mcr & 0x02) << 3);
  }

  private void updateInterrupt() {
    boolean rxIrq = (ier & IER_RDI) != 0 && !rx.isEmpty();
    boolean txIrq = (ier & IER_THRI) != 0 && thrInterruptPending;
    plic.setLevel(IRQ, rxIrq || txIrq);
  }

  @Override
  public void digestInto(StateHasher h) {
    h.section("uart").putInt(rx.size());
    for (int b : rx) {
      h.putInt(b);
    }
    h.putInt(ier).putInt(lcr).putInt(mcr).putInt(scr).putInt(fcr).putInt(dll).putInt(dlm);
    h.putBoolean(thrInterruptPending);
  }

  public UartState save() {
    byte[] fifo = new byte[rx.size()];
    int i = 0;
    for (int b : rx) {
      fifo[i++] = (byte) b;
    }
    return UartState.newBuilder()
        .setRx(ByteString.copyFrom(fifo))
        .setIer(ier)
        .setLcr(lcr)
        .setMcr(mcr)
        .setScr(scr)
        .setFcr(fcr)
        .setDll(dll)
        .setDlm(dlm)
        .setThrInterruptPending(thrInterruptPending)
        .build();
  }

  /**
   * Sets the registers without driving the PLIC line: the PLIC's own state carries it. Throws
   * IllegalArgumentException when the FIFO holds more than it can.
   */
  public void restore(UartState s) {
    if (s.getRx().size() > RX_FIFO_CAPACITY) {
      throw new IllegalArgumentException(
          "UART state holds " + s.getRx().size() + " received bytes, more than the FIFO's 16");
    }
    rx.clear();
    for (byte b : s.getRx().toByteArray()) {
      rx.add(b & 0xff);
    }
    ier = s.getIer() & 0x0f;
    lcr = s.getLcr() & 0xff;
    mcr = s.getMcr() & 0x1f;
    scr = s.getScr() & 0xff;
    fcr = s.getFcr() & 0xff;
    dll = s.getDll() & 0xff;
    dlm = s.getDlm() & 0xff;
    thrInterruptPending = s.getThrInterruptPending();
  }
}
