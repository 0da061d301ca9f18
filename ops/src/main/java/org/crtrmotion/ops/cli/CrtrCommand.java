package org.crtrmotion.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code crtr} command line: every user-facing command of crtr-motion hangs off this one. */
@Command(
    name = "crtr",
    mixinStandardHelpOptions = true,
    version = "crtr-motion 0.1.0",
    description = "Live migration of virtual machines by checkpoint/recovery and trace/replay.",
    subcommands = {
      RunCommand.class,
      RecordCommand.class,
      ReplayCommand.class,
      TraceStatsCommand.class,
      BenchCommand.class,
      LoadCommand.class,
      org.crtrmotion.ops.node.NodeCommand.class,
      org.crtrmotion.ops.client.VmCommand.class,
      org.crtrmotion.ops.client.MigrateCommand.class,
      org.crtrmotion.ops.certs.CertsCommand.class,
      org.crtrmotion.ops.demo.DemoCommand.class,
      org.crtrmotion.ops.sim.SimCommand.class,
      CommandLine.HelpCommand.class
    })
public final class CrtrCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line as {@code main} runs it: every error one line on stderr. */
  public static CommandLine commandLine() {
    return ErrorLines.install(new CommandLine(new CrtrCommand()));
  }
}
