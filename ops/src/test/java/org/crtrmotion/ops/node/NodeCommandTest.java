package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A misconfigured node is refused before anything starts: exit code 2 and one line. */
class NodeCommandTest {
  @TempDir Path tmp;

  private record Result(int exitCode, String stderr) {}

  private Result node(String hocon) throws Exception {
    Path file = Files.writeString(tmp.resolve("node.conf"), hocon);
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new CrtrCommand()).execute("node", "--config", file.toString());
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
  }

  @Test
  void aBadSettingIsRefusedWithExitCode2AndOneLineNamingIt() throws Exception {
    Result r = node("crtr.node.bind.port = 70000");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("crtr node: crtr.node.bind.port:"), r.stderr());
  }

  @Test
  void aNonLoopbackApiWithoutTokenIsRefusedNamingTheToken() throws Exception {
    Result r = node("crtr.node.api.bind.host = \"0.0.0.0\"");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().startsWith("crtr node: crtr.node.api.token:"), r.stderr());
  }

  @Test
  void aFileThatIsNotHoconIsRefusedNamingTheFile() throws Exception {
    Result r = node("crtr.node { name = ");
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().startsWith("crtr node: --config "), r.stderr());
  }

  @Test
  void aMissingFileIsRefused() {
    assertEquals(
        2,
        new CommandLine(new CrtrCommand())
            .execute("node", "--config", tmp.resolve("none.conf").toString()));
  }
}
