package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartRequestTest {

  private static String refusal(String body) {
    return assertThrows(StartRequest.Malformed.class, () -> StartRequest.parse(body)).getMessage();
  }

  @Test
  void everyFieldIsRead() throws Exception {
    assertEquals(
        new StartRequest("idle.elf", "ticks=3", 32L << 20, Optional.of("b")),
        StartRequest.parse(
            "{\"image\":\"idle.elf\",\"bootargs\":\"ticks=3\",\"memory\":\"32M\",\"node\":\"b\"}"));
  }

  @Test
  void onlyTheImageIsRequired() throws Exception {
    assertEquals(
        new StartRequest("hello.elf", "", StartRequest.DEFAULT_MEMORY_BYTES, Optional.empty()),
        StartRequest.parse("{\"image\":\"hello.elf\"}"));
  }

  @Test
  void aQuotaIsReadAsInstructionsPerSecondFromANumberOrADecimalSuffix() throws Exception {
    assertEquals(
        20_000_000,
        StartRequest.parse("{\"image\":\"a\",\"quota\":\"20M\"}").quotaInstructionsPerSecond());
    assertEquals(
        1_500, StartRequest.parse("{\"image\":\"a\",\"quota\":1500}").quotaInstructionsPerSecond());
    assertEquals(0, StartRequest.parse("{\"image\":\"a\"}").quotaInstructionsPerSecond());
  }

  @Test
  void aQuotaThatIsNoRateIsRefusedNamingTheField() {
    assertTrue(refusal("{\"image\":\"a\",\"quota\":\"fast\"}").startsWith("field 'quota'"));
    assertTrue(refusal("{\"image\":\"a\",\"quota\":true}").startsWith("field 'quota'"));
  }

  @Test
  void memoryMayBeGivenInBytes() throws Exception {
    assertEquals(
        1L << 24, StartRequest.parse("{\"image\":\"a\",\"memory\":16777216}").memoryBytes());
  }

  @Test
  void aBodyThatIsNotJsonIsRefused() {
    assertTrue(refusal("{image").startsWith("body is not JSON"));
  }

  @Test
  void aMissingImageIsRefusedNamingTheField() {
    assertEquals("field 'image': missing", refusal("{\"memory\":\"64M\"}"));
  }

  @Test
  void aFieldOfTheWrongTypeIsRefusedNamingIt() {
    assertTrue(refusal("{\"image\":3}").startsWith("field 'image': must be a string"));
  }

  @Test
  void anUnknownFieldIsRefusedNamingIt() {
    assertTrue(refusal("{\"image\":\"a\",\"cpus\":2}").startsWith("field 'cpus': unknown"));
  }

  @Test
  void aMemoryThatIsNoSizeIsRefusedNamingTheField() {
    assertTrue(refusal("{\"image\":\"a\",\"memory\":\"lots\"}").startsWith("field 'memory'"));
    assertTrue(refusal("{\"image\":\"a\",\"memory\":1000}").startsWith("field 'memory'"));
  }
}
