package org.crtrmotion.ops.sim;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.crtrmotion.simulations.faults.FaultSimulation;
import org.crtrmotion.simulations.faults.Invariant;
import org.crtrmotion.simulations.faults.SimulationSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code crtr sim faults}: seeded fault-injection runs, each checked for the five invariants. The
 * exit code says which failure class a run met first (see the footer).
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description =
        "Seeded fault-injection runs: migrations under node stops and losses, cut,"
            + " partitioned, corrupted and slow streams, slow replays and cancels, each checked"
            + " for lost VMs, two live copies, digests, output continuity, endings and leaks.",
    footer = {
      "Exit codes: 0 every run passed, 2 bad arguments, 3 a run could not be carried out,",
      "10 VM lost, 11 two live copies, 12 digests, 13 output gap or duplicate,",
      "14 a migration did not end in time, 15 resources left behind."
    })
public final class FaultsCommand implements Callable<Integer> {

  static final class Seeds {
    @Option(names = "--seed", description = "Run this one seed.")
    Long seed;

    @Option(names = "--seeds", description = "Run the seeds A..B (both included), e.g. 1..1000.")
    String range;

    List<Long> list() {
      if (seed != null) {
        return List.of(seed);
      }
      String[] ends = range.split("\\.\\.", -1);
      if (ends.length != 2) {
        throw new IllegalArgumentException("--seeds wants A..B, not " + range);
      }
      try {
        long from = Long.parseLong(ends[0].trim());
        long to = Long.parseLong(ends[1].trim());
        if (to < from) {
          throw new IllegalArgumentException("--seeds " + range + " is empty: B is below A");
        }
        return LongStream.rangeClosed(from, to).boxed().toList();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds wants two whole numbers A..B, not " + range);
      }
    }
  }

  @CommandLine.ArgGroup(multiplicity = "1")
  Seeds seeds;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Nodes per run (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--vms",
      defaultValue = "2",
      description = "Guests per run (default ${DEFAULT-VALUE}).")
  int vms;

  @Option(
      names = "--migrations",
      defaultValue = "3",
      description = "Migrations per run (default ${DEFAULT-VALUE}).")
  int migrations;

  @Option(
      names = "--mode",
      defaultValue = "jvm",
      description = "Where nodes run: jvm (actor systems in this JVM). process is not there yet.")
  String mode;

  @Option(names = "--print-schedule", description = "Print each run's schedule before it runs.")
  boolean printSchedule;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<Long> list;
    SimulationSize size;
    FaultSimulation simulation;
    try {
      list = seeds.list();
      size = new SimulationSize(nodes, vms, migrations);
      FaultSimulation.Mode m =
          switch (mode) {
            case "jvm" -> FaultSimulation.Mode.JVM;
            case "process" -> FaultSimulation.Mode.PROCESS;
            default ->
                throw new IllegalArgumentException("--mode must be jvm or process, not " + mode);
          };
      simulation = new FaultSimulation(size, m, System.out);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (printSchedule) {
      simulation.printingSchedules();
    }
    int exit = simulation.run(list);
    return exit == Invariant.RUN_ERROR_EXIT_CODE || exit >= 10 || exit == 0 ? exit : 1;
  }
}
