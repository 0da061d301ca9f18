package org.crtrmotion.vm.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.crtrmotion.vm.cpu.Causes;
import org.junit.jupiter.api.Test;

class Uart16550Test {
  private final boolean[] lines = new boolean[16];
  private final Plic plic = new Plic((irq, level) -> lines[irq] = level);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Uart16550 uart = new Uart16550(out::write, plic);

  private void enableUartIrqForSupervisor() {
    plic.write(4L * Uart16550.IRQ, 4, 1); // priority 1
    plic.write(0x2080, 4, 1L << Uart16550.IRQ); // context 1 (S-mode) enable
  }

  @Test
  void writingThrSendsTheByteAndTheLineStaysReady() {
    uart.write(0, 1, 'h');
    assertEquals("h", out.toString());
    assertEquals(0x60, uart.read(5, 1) & 0x60, "THRE and TEMT");
  }

  @Test
  void receivedByteIsReadFromRbrAndFlaggedInLsr() {
    uart.receive('x');
    assertEquals(1, uart.read(5, 1) & 1);
    assertEquals('x', uart.read(0, 1));
    assertEquals(0, uart.read(5, 1) & 1);
  }

  @Test
  void divisorLatchIsReachedWithDlab() {
    uart.write(3, 1, 0x80);
    uart.write(0, 1, 0x34);
    uart.write(1, 1, 0x12);
    assertEquals(0x34, uart.read(0, 1));
    assertEquals(0x12, uart.read(1, 1));
    assertEquals("", out.toString(), "a divisor write is not output");
  }

  @Test
  void loopbackReturnsSentBytesAndModemLines() {
    uart.write(4, 1, 0x10 | 0x0f); // LOOP, OUT2, OUT1, RTS, DTR
    uart.write(0, 1, 'z');
    assertEquals("", out.toString());
    assertEquals('z', uart.read(0, 1));
    assertEquals(0xf0, uart.read(6, 1));
  }

  @Test
  void transmitterEmptyInterruptRaisesThePlicLineUntilIirIsRead() {
    enableUartIrqForSupervisor();
    uart.write(1, 1, 2); // IER: THRI
    assertTrue(lines[Causes.IRQ_S_EXT]);
    assertEquals(0x02, uart.read(2, 1) & 0x0f);
    assertFalse(lines[Causes.IRQ_S_EXT]);
  }

  @Test
  void receiveInterruptFollowsTheFifo() {
    enableUartIrqForSupervisor();
    uart.write(1, 1, 1); // IER: RDI
    uart.receive('a');
    assertTrue(lines[Causes.IRQ_S_EXT]);
    assertEquals(0x04, uart.read(2, 1) & 0x0f);
    uart.read(0, 1);
    assertFalse(lines[Causes.IRQ_S_EXT]);
  }
}
