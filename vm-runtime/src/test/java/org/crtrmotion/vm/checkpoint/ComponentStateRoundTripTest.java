package org.crtrmotion.vm.checkpoint;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.crtrmotion.vm.board.BootRom;
import org.crtrmotion.vm.board.Clint;
import org.crtrmotion.vm.board.Plic;
import org.crtrmotion.vm.board.Uart16550;
import org.crtrmotion.vm.checkpoint.proto.BootRomState;
import org.crtrmotion.vm.checkpoint.proto.ClintState;
import org.crtrmotion.vm.checkpoint.proto.HartState;
import org.crtrmotion.vm.checkpoint.proto.HostClockState;
import org.crtrmotion.vm.checkpoint.proto.PlicState;
import org.crtrmotion.vm.checkpoint.proto.UartState;
import org.crtrmotion.vm.checkpoint.proto.VirtualClockState;
import org.crtrmotion.vm.cpu.CpuHarness;
import org.crtrmotion.vm.cpu.Hart;
import org.crtrmotion.vm.cpu.InterruptLines;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.state.StateHasher;
import org.crtrmotion.vm.time.HostClock;
import org.crtrmotion.vm.time.VirtualClock;
import org.junit.jupiter.api.Test;

/** Each component: save, serialize, parse, restore into a fresh one, compare. */
class ComponentStateRoundTripTest {
  private static final InterruptLines NO_LINES = (irq, level) -> {};

  private static StateDigest digest(Digestible d) {
    StateHasher h = new StateHasher();
    d.digestInto(h);
    return h.digest();
  }

  @Test
  void hartRoundTripsEveryDigestedField() throws Exception {
    CpuHarness h = new CpuHarness();
    h.x(5, CpuHarness.DATA);
    h.program(
        addi(6, 6, 7),
        csrrwi(0, 0x340, 9), // mscratch
        csrrwi(0, 0x305, 16), // mtvec
        csrrwi(0, 0x141, 3), // sepc
        amo(0b00010, true, 7, 5, 0), // lr.d: a reservation
        fmvDX(1, 6),
        jal(0, 0));
    h.step(100);
    HartState saved = HartState.parseFrom(h.hart.save().toByteArray());
    Hart fresh = new CpuHarness().hart;
    fresh.restore(saved);
    assertEquals(digest(h.hart), digest(fresh));
    assertEquals(h.hart.save(), fresh.save());
  }

  @Test
  void hartRefusesAStateNoHartCouldBeIn() {
    HartState bad = new Hart().save().toBuilder().setPriv(2).build();
    assertThrows(IllegalArgumentException.class, () -> new Hart().restore(bad));
    HartState shortX = new Hart().save().toBuilder().clearX().build();
    assertThrows(IllegalArgumentException.class, () -> new Hart().restore(shortX));
  }

  @Test
  void clintRoundTrips() throws Exception {
    VirtualClock clock = new VirtualClock(() -> 0, 10);
    Clint a = new Clint(clock, NO_LINES);
    a.write(0, 4, 1);
    a.write(0x4000, 8, 123_456_789L);
    Clint b = new Clint(clock, NO_LINES);
    b.restore(ClintState.parseFrom(a.save().toByteArray()));
    assertEquals(digest(a), digest(b));
    assertEquals(123_456_789L, b.mtimecmp());
  }

  @Test
  void plicRoundTrips() throws Exception {
    Plic a = new Plic(NO_LINES);
    a.write(4 * 10, 4, 5); // priority of source 10
    a.write(0x2000, 4, 1 << 10); // enabled for context 0
    a.write(0x2080, 4, 1 << 10); // and context 1
    a.write(0x20_1000, 4, 2); // threshold of context 1
    a.setLevel(10, true);
    a.read(0x20_0004, 4); // claimed by context 0
    Plic b = new Plic(NO_LINES);
    b.restore(PlicState.parseFrom(a.save().toByteArray()));
    assertEquals(digest(a), digest(b));
  }

  @Test
  void uartRoundTripsItsRegistersAndReceiveFifo() throws Exception {
    Uart16550 a = new Uart16550(b -> {}, new Plic(NO_LINES));
    a.write(3, 1, 0x83); // DLAB
    a.write(0, 1, 0x01);
    a.write(3, 1, 0x03);
    a.write(1, 1, 0x03);
    a.write(7, 1, 0x5a);
    for (int c : "hi!".getBytes()) {
      a.receive(c);
    }
    Uart16550 b = new Uart16550(x -> {}, new Plic(NO_LINES));
    b.restore(UartState.parseFrom(a.save().toByteArray()));
    assertEquals(digest(a), digest(b));
    assertEquals('h', b.read(0, 1));
  }

  @Test
  void virtualClockRoundTripsIdleTimeAndOffset() throws Exception {
    long[] instret = {1000};
    VirtualClock a = new VirtualClock(() -> instret[0], 10);
    a.idleUntil(5000);
    a.set(a.now() + 77);
    VirtualClock b = new VirtualClock(() -> instret[0], 10);
    b.restore(VirtualClockState.parseFrom(a.save().toByteArray()));
    assertEquals(a.now(), b.now());
    instret[0] += 12345;
    assertEquals(a.now(), b.now());
  }

  @Test
  void hostClockContinuesFromTheSavedTime() throws Exception {
    HostClock a = new HostClock();
    a.set(1L << 40);
    HostClockState saved = HostClockState.parseFrom(a.save().toByteArray());
    HostClock b = new HostClock();
    b.restore(saved);
    long now = b.now();
    assertEquals(true, now >= saved.getMtime() && now < saved.getMtime() + 10_000_000L, "" + now);
  }

  @Test
  void bootRomIsRebuiltFromItsAddresses() throws Exception {
    BootRom a = new BootRom(0x8000_0000L, 0x87e0_0000L, 0x8020_0000L);
    BootRom b = BootRom.restore(BootRomState.parseFrom(a.save().toByteArray()));
    long[] wordsA = new long[64];
    long[] wordsB = new long[64];
    for (int i = 0; i < 64; i++) {
      wordsA[i] = a.read(8L * i, 8);
      wordsB[i] = b.read(8L * i, 8);
    }
    assertArrayEquals(wordsA, wordsB);
  }
}
