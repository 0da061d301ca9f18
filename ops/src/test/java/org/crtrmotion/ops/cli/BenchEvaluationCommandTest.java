package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line of {@code crtr bench evaluation}; the harness itself is tested in simulations
 * ({@code EvaluationOutputTest}).
 */
class BenchEvaluationCommandTest {
  @Test
  void aRepeatBelowOneIsRefusedNamingTheOptionBeforeAnythingRuns() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          RunCommand.EXIT_BAD_INPUT,
          new CommandLine(new CrtrCommand()).execute("bench", "evaluation", "--repeat", "0"));
    } finally {
      System.setErr(original);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--repeat must be at least 1, not 0"), said);
  }

  @Test
  void evaluationIsASubcommandOfBench() {
    CommandLine bench = new CommandLine(new CrtrCommand()).getSubcommands().get("bench");
    assertTrue(
        bench.getSubcommands().containsKey("evaluation"),
        bench.getSubcommands().keySet().toString());
  }
}
