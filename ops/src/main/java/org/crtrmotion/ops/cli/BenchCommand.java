package org.crtrmotion.ops.cli;

import picocli.CommandLine.Command;

/**
 * {@code crtr bench}: benchmarks, each reported as ratios against a baseline measured in the same
 * run.
 */
@Command(
    name = "bench",
    description = "Benchmarks, reported against a baseline measured in the same run.",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchCpuCommand.class,
      BenchBootCommand.class,
      BenchRecordCommand.class,
      BenchStreamsCommand.class,
      BenchEvaluationCommand.class
    })
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
