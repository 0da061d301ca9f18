package org.crtrmotion.ops.sim;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crtr sim}: simulation runs; the logic lives in the simulations module. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Simulation runs against the migration runtime.",
    subcommands = {FaultsCommand.class, CommandLine.HelpCommand.class})
public final class SimCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
