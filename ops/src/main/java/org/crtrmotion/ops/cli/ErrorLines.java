package org.crtrmotion.ops.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns what picocli would print as a usage dump or a stack trace into one line on stderr naming
 * the command: {@code crtr record: Missing required option: '--out=DIR' (see 'crtr record
 * --help')}, exit code 2 for a bad command line (picocli's usual), 1 for a failure no command
 * caught. A script reads one line whatever went wrong; {@code CRTR_DEBUG=1} adds the stack trace.
 */
final class ErrorLines
    implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILURE = 1;

  private final boolean debug;

  ErrorLines(boolean debug) {
    this.debug = debug;
  }

  /** Installs both handlers on {@code crtr} (they apply to every subcommand added before). */
  static CommandLine install(CommandLine crtr) {
    ErrorLines handler = new ErrorLines("1".equals(System.getenv("CRTR_DEBUG")));
    return crtr.setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
    err.flush();
    return EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + why.lines().findFirst().orElse(why));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }
}
