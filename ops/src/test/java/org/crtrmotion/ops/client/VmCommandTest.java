package org.crtrmotion.ops.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Optional;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VmCommandTest {

  private record Run(int code, String err) {}

  private static Run vm(String... args) {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new CrtrCommand())
            .setErr(new PrintWriter(err))
            .setOut(new PrintWriter(new StringWriter()))
            .execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void aNodeThatCannotBeReachedIsOneLineAndExitCode3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Run r = vm("vm", "list", "--node", "http://127.0.0.1:" + port);
    assertEquals(3, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("crtr vm list: cannot reach"), r.err());
  }

  @Test
  void aNodeUrlThatIsNoUrlIsExitCode2() {
    Run r = vm("vm", "list", "--node", "ftp://x");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("expected http://HOST:PORT"), r.err());
  }

  @Test
  void serverSentEventsAreReadWithTheirTypeAndIdWhateverTheFieldOrder() throws Exception {
    SseEvent.Reader reader =
        new SseEvent.Reader(
            new BufferedReader(
                new StringReader(
                    "data:tick 1\nevent:line\nid:7\n\n:\n\nid:8\nevent:ended\ndata:{}\n\n")));
    assertEquals(Optional.of(new SseEvent("line", "7", "tick 1")), reader.next());
    assertEquals(Optional.of(new SseEvent("ended", "8", "{}")), reader.next());
    assertEquals(Optional.empty(), reader.next());
  }
}
