package org.crtrmotion.ops.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MigrateCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int crtr(String... args) {
    return new CommandLine(new CrtrCommand())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  @Test
  void aMigrationWithoutATargetIsAUsageErrorOnOneLine() {
    assertEquals(2, crtr("migrate", "a-vm-1", "--node", "http://127.0.0.1:1"));
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("--to NODE is missing"), err.toString());
  }

  @Test
  void aNodeThatCannotBeReachedExitsWith3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertEquals(3, crtr("migrate", "a-vm-1", "--to", "b", "--node", "http://127.0.0.1:" + port));
    assertTrue(err.toString().startsWith("crtr migrate: cannot reach"), err.toString());
  }

  @Test
  void cancelIsASubcommandNotAVmNamedCancel() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertEquals(
        3, crtr("migrate", "cancel", "a-m1-0123abcd", "--node", "http://127.0.0.1:" + port));
  }

  @Test
  void progressOutsideATerminalIsOneLinePerEvent() throws Exception {
    StringWriter lines = new StringWriter();
    try (MigrationProgress p =
        MigrationProgress.forOutput("a-vm-1", false, System.err, new PrintWriter(lines))) {
      p.update(
          ApiClient.JSON.readTree(
              "{\"phase\":\"TRANSFER\",\"round\":2,\"expectedDowntimeMillis\":42,"
                  + "\"bytesSent\":1000,\"lagInstructions\":7}"));
      p.update(
          ApiClient.JSON.readTree(
              "{\"phase\":\"FREEZE\",\"round\":3,\"expectedDowntimeMillis\":-1,\"bytesSent\":2000}"));
    }
    assertEquals(
        "TRANSFER round 2, expected downtime 42 ms, lag 7 instructions, 1000 bytes sent\n"
            + "FREEZE round 3, expected downtime unknown, 2000 bytes sent\n",
        lines.toString().replace(System.lineSeparator(), "\n"));
  }
}
