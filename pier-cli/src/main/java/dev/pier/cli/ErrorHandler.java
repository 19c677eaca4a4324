package dev.pier.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one {@code " !     "} message on stderr and an exit code: a
 * {@link CliException}'s own code, 1 for an unknown command (with suggestions), 2 for other usage
 * errors, 1 for anything unexpected (with the stack trace when {@code PIER_DEBUG} is set).
 */
final class ErrorHandler
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private final CliContext context;

  ErrorHandler(CliContext context) {
    this.context = context;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    context.out().flush();
    PrintWriter err = command.getErr();
    if (e instanceof CliException failure) {
      err.println(Format.ERROR_PREFIX + failure.getMessage());
      return failure.exitCode();
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      err.println(Format.ERROR_PREFIX + e.getMessage()
          + (cause != e ? ": " + cause.getMessage() : "") + " (" + cause.getClass().getSimpleName() + ")");
      return 1;
    }
    err.println(Format.ERROR_PREFIX + "Unexpected error: " + e);
    if (context.env("PIER_DEBUG") != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    if (isUnknownCommand(e)) {
      String name = ((UnmatchedArgumentException) e).getUnmatched().get(0);
      err.println(Format.ERROR_PREFIX + "'" + name + "' is not a pier command.");
      List<String> suggestions =
          CommandSuggestions.closeTo(name, command.getSubcommands().keySet());
      if (!suggestions.isEmpty()) {
        err.println(Format.ERROR_PREFIX + "Did you mean "
            + String.join(", ", suggestions) + "?");
      }
      err.println(Format.ERROR_PREFIX + "Run `pier --help` for a list of commands.");
      return 1;
    }
    err.println(Format.ERROR_PREFIX + e.getMessage());
    err.println(Format.ERROR_PREFIX + "See `" + command.getCommandSpec().qualifiedName() + " --help`.");
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static boolean isUnknownCommand(ParameterException e) {
    return e instanceof UnmatchedArgumentException unmatched
        && e.getCommandLine().getParent() == null
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-");
  }
}
