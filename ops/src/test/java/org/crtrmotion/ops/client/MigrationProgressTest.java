package org.crtrmotion.ops.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.Test;

class MigrationProgressTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode progress(String phase, int round, long bytes, long expectedMillis)
      throws Exception {
    return JSON.readTree(
        """
        {"phase":"%s","round":%d,"bytesSent":%d,"expectedDowntimeMillis":%d,"lagInstructions":1200}
        """
            .formatted(phase, round, bytes, expectedMillis));
  }

  @Test
  void inAnEightyColumnTerminalTheBarKeepsPhaseRoundAndExpectedDowntimeOnItsLine()
      throws Exception {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    try (MigrationProgress bar =
        new MigrationProgress.Bar("node-a-vm-12", new ConsoleProgressBarConsumer(out, 80))) {
      bar.update(progress("TRANSFER", 1, 512 * 1024, -1));
      bar.update(progress("TRANSFER", 12, 987L * 1024 * 1024, 12345));
    }
    String shown = terminal.toString(StandardCharsets.UTF_8);
    String last = shown.substring(shown.lastIndexOf('\r') + 1).strip();
    assertTrue(
        last.startsWith("node-a-vm-12 TRANSFER round 12, downtime ~12345 ms | 987.0 MiB"), last);
    assertTrue(last.length() <= 80, last);
  }

  @Test
  void elsewhereEachEventIsOnePlainLine() throws Exception {
    StringWriter out = new StringWriter();
    try (MigrationProgress lines =
        MigrationProgress.forOutput("a-vm-1", false, null, new PrintWriter(out))) {
      lines.update(progress("TRANSFER", 2, 4096, -1));
      lines.update(progress("FREEZE", 3, 8192, 12));
    }
    String[] shown = out.toString().split("\n");
    assertEquals(2, shown.length, out.toString());
    assertEquals(
        "TRANSFER round 2, expected downtime unknown, lag 1200 instructions, 4096 bytes sent",
        shown[0]);
    assertEquals(
        "FREEZE round 3, expected downtime 12 ms, lag 1200 instructions, 8192 bytes sent",
        shown[1]);
    assertFalse(out.toString().contains("\r"));
  }

  @Test
  void aNarrowTerminalDropsTheDetailsBeforeThePhase() throws Exception {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    try (MigrationProgress bar =
        new MigrationProgress.Bar("a-vm-1", new ConsoleProgressBarConsumer(out, 40))) {
      bar.update(progress("FREEZE", 4, 5L * 1024 * 1024, 80));
    }
    String shown = terminal.toString(StandardCharsets.UTF_8);
    String last = shown.substring(shown.lastIndexOf('\r') + 1).strip();
    assertEquals("a-vm-1 FREEZE round 4, downtime ~80 ms", last);
  }
}
