package org.crtrmotion.ops.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crtrmotion.simulations.evaluation.Evaluation;
import org.crtrmotion.simulations.evaluation.EvaluationPlan;
import org.crtrmotion.simulations.evaluation.EvaluationResult;
import org.crtrmotion.simulations.evaluation.ExternalBaseline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crtr bench evaluation}: the paper's comparison on this machine. The harness lives in
 * simulations ({@link Evaluation}); this is its command line.
 */
@Command(
    name = "evaluation",
    mixinStandardHelpOptions = true,
    description = {
      "Migrates bundled guests (idle, cpu, memory at several dirty rates) between two nodes in"
          + " this process with pre-copy and with CR/TR-Motion, over 1 Gbit/s and 100 Mbit/s"
          + " links, with and without a vCPU quota; checks every run's invariants; writes"
          + " runs.csv, runs/<run>.csv, summary.csv, comparison.csv, baselines.csv, summary.md"
          + " and PNG charts into --out.",
      "",
      "Exit codes: 0 every run ended with a report and its invariants held (an abort is a"
          + " result, a lost or duplicated line is not), 1 otherwise, 2 bad options."
    })
final class BenchEvaluationCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--quick",
      description = "one memory rate, 0.5 s rate windows, 20 s deadline: minutes, not tens")
  boolean quick;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description =
          "runs per cell; the tables show medians and [min–max] (default: ${DEFAULT-VALUE})",
      defaultValue = "1")
  int repeat;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where the outputs go (default: ${DEFAULT-VALUE})",
      defaultValue = "evaluation")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (repeat < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--repeat must be at least 1, not " + repeat);
    }
    EvaluationPlan plan = quick ? EvaluationPlan.quick(repeat) : EvaluationPlan.full(repeat);
    EvaluationResult result =
        Evaluation.run(plan, ExternalBaseline.discover(), line -> System.err.println(line));
    String command =
        "crtr bench evaluation"
            + (quick ? " --quick" : "")
            + " --repeat "
            + repeat
            + " --out "
            + out;
    Evaluation.write(result, out, command);
    System.out.println(
        "wrote " + out.resolve("summary.md") + " and the CSV files and charts beside it");
    if (!result.allInvariantsHold()) {
      System.err.println(
          "crtr bench evaluation: some runs did not end with their invariants held; see runs.csv");
      return 1;
    }
    return 0;
  }
}
