package org.crtrmotion.ops.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.crtrmotion.ops.cli.CrtrCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The arguments of {@code crtr sim faults}; the runs themselves are tested in simulations. */
class FaultsCommandTest {
  private static String[] run(int expectedExit, String... args) {
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new CrtrCommand()).setErr(new PrintWriter(err));
    int exit = line.execute(args);
    assertEquals(expectedExit, exit, err.toString());
    return new String[] {err.toString()};
  }

  @Test
  void aSeedRangeThatEndsBelowItsStartIsRefused() {
    String err = run(2, "sim", "faults", "--seeds", "5..3")[0];
    assertTrue(err.contains("--seeds 5..3 is empty"), err);
  }

  @Test
  void seedAndSeedsTogetherAreRefused() {
    String err = run(2, "sim", "faults", "--seed", "1", "--seeds", "1..2")[0];
    assertTrue(err.contains("mutually exclusive"), err);
  }

  @Test
  void processModeIsRefusedNamingTheModeThatWorks() {
    String err = run(2, "sim", "faults", "--seed", "1", "--mode", "process")[0];
    assertTrue(err.contains("--mode jvm"), err);
  }

  @Test
  void aSizeOutOfRangeNamesTheOption() {
    String err = run(2, "sim", "faults", "--seed", "1", "--nodes", "1")[0];
    assertTrue(err.contains("--nodes must lie between 2 and 8"), err);
  }
}
