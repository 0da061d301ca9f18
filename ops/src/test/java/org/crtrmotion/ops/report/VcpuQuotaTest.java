package org.crtrmotion.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VcpuQuotaTest {

  @Test
  void suffixesAreDecimalAsMipsCount() {
    assertEquals(20_000_000, VcpuQuota.parse("20M"));
    assertEquals(500_000, VcpuQuota.parse("500k"));
    assertEquals(2_000_000_000L, VcpuQuota.parse(" 2G "));
    assertEquals(1234, VcpuQuota.parse("1234"));
  }

  @Test
  void zeroMeansNoQuota() {
    assertEquals(0, VcpuQuota.parse("0"));
  }

  @Test
  void textThatIsNoRateIsRefusedNamingIt() {
    String message =
        assertThrows(IllegalArgumentException.class, () -> VcpuQuota.parse("fast")).getMessage();
    assertTrue(message.contains("'fast'") && message.contains("instructions per second"), message);
    assertThrows(IllegalArgumentException.class, () -> VcpuQuota.parse("-5M"));
    assertThrows(IllegalArgumentException.class, () -> VcpuQuota.parse("99999999999G"));
  }
}
