package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ErrorLinesTest {
  private final StringWriter err = new StringWriter();

  private int crtr(String... args) {
    return CrtrCommand.commandLine().setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void aMissingOptionIsOneLineNamingItAndTheHelpWithExitCode2() {
    assertEquals(2, crtr("record", "hello.elf", "--json"));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("crtr record: Missing required option"), err.toString());
    assertTrue(err.toString().contains("'--out=DIR'"), err.toString());
    assertTrue(err.toString().contains("(see 'crtr record --help')"), err.toString());
  }

  @Test
  void anUnknownOptionOfANestedCommandIsOneLineNamingTheCommand() {
    assertEquals(2, crtr("bench", "cpu", "--bogus"));
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(
        err.toString().startsWith("crtr bench cpu: Unknown option: '--bogus'"), err.toString());
  }

  @Command(name = "fails")
  static final class Fails implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("the disk is on fire\n\tat some.Frame");
    }
  }

  @Test
  void aFailureNoCommandCaughtIsItsFirstLineWithExitCode1() {
    CommandLine crtr = new CommandLine(new CrtrCommand()).addSubcommand(new Fails());
    int code = ErrorLines.install(crtr).setErr(new PrintWriter(err)).execute("fails");
    assertEquals(1, code);
    assertEquals("crtr fails: the disk is on fire", err.toString().strip());
  }
}
