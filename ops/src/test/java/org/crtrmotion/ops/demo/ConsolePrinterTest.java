package org.crtrmotion.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.crtrmotion.actors.vm.VmActor;
import org.junit.jupiter.api.Test;

class ConsolePrinterTest {
  private final StringWriter text = new StringWriter();
  private final ConsolePrinter printer = new ConsolePrinter(new PrintWriter(text), new Object());

  private void line(String node, long number) {
    printer.accept(node, new VmActor.ConsoleLine("a-vm-1", number, "tick " + number));
  }

  @Test
  void aTargetLineArrivingBeforeTheSourcesLastWaitsForIt() {
    line("a", 1);
    line("b", 3);
    line("a", 2);
    ConsolePrinter.Seen seen = printer.finish("a-vm-1");
    assertEquals(
        List.of("a | a-vm-1     1  tick 1", "a | a-vm-1     2  tick 2", "b | a-vm-1     3  tick 3"),
        text.toString().lines().toList());
    assertEquals(new ConsolePrinter.Seen(3, 0, 0, 3), seen);
  }

  @Test
  void aRepeatedLineIsPrintedAsADuplicateAndCounted() {
    line("a", 1);
    line("b", 1);
    ConsolePrinter.Seen seen = printer.finish("a-vm-1");
    assertEquals(1, seen.duplicates());
    assertEquals(
        "b | a-vm-1     1  tick 1   <-- DUPLICATE", text.toString().lines().toList().get(1));
  }

  @Test
  void aLineStillWaitingAtTheEndIsAGap() {
    line("a", 1);
    line("b", 3);
    ConsolePrinter.Seen seen = printer.finish("a-vm-1");
    assertEquals(1, seen.gaps());
    assertEquals(
        List.of(
            "a | a-vm-1     1  tick 1",
            "   <-- GAP: lines 2 to 2 of a-vm-1 missing",
            "b | a-vm-1     3  tick 3"),
        text.toString().lines().toList());
  }
}
