package org.crtrmotion.vm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostForwardTest {
  @Test
  void readsQemusSyntaxWithTheDefaultGuestAddress() {
    assertEquals(
        new HostForward("127.0.0.1", 5555, "10.0.2.15", 7000),
        HostForward.parse("hostfwd=udp:127.0.0.1:5555-:7000"));
  }

  @Test
  void takesAnExplicitGuestAddress() {
    assertEquals(
        new HostForward("127.0.0.1", 1, "10.0.2.16", 2),
        HostForward.parse("udp:127.0.0.1:1-10.0.2.16:2"));
  }

  @Test
  void refusesTcpNamingWhatIsForwarded() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class, () -> HostForward.parse("hostfwd=tcp::22-:22"));
    assertTrue(e.getMessage().contains("only UDP"), e.getMessage());
  }

  @Test
  void refusesAPortOutOfRange() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostForward.parse("hostfwd=udp:127.0.0.1:70000-:1"));
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
  }
}
