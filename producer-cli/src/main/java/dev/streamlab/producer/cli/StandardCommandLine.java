package dev.streamlab.producer.cli;

import dev.streamlab.producer.base.Failures;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The conventions every command of this project follows, applied in one place for {@code main} and
 * for tests.
 *
 * <ul>
 *   <li>exit code 0 on success, 1 on a runtime failure, 2 on a usage error;
 *   <li>an error is one line on standard error, {@code <command>: <what went wrong>}, with the
 *       stack trace only under {@code --verbose};
 *   <li>enum option values are case-insensitive ({@code --format JSON} works).
 * </ul>
 */
public final class StandardCommandLine {

  /** Exit code of a runtime failure: an unreadable file, an unreachable broker, … */
  public static final int FAILURE = 1;

  /** Exit code of a usage error: an unknown option, a bad value, … */
  public static final int USAGE = 2;

  private StandardCommandLine() {}

  /** A {@link CommandLine} for {@code command} configured with this project's conventions. */
  public static CommandLine of(Object command) {
    return of(command, Failures::describe);
  }

  /**
   * A {@link CommandLine} for {@code command} configured with this project's conventions, whose
   * failures {@code describe} tells in one line (one that knows more kinds of failure than {@link
   * Failures#describe}).
   */
  public static CommandLine of(Object command, Function<Throwable, String> describe) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new ErrorReporter(describe));
    commandLine.setParameterExceptionHandler(new UsageErrorReporter());
    return commandLine;
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static final class ErrorReporter implements IExecutionExceptionHandler {
    private final Function<Throwable, String> describe;

    ErrorReporter(Function<Throwable, String> describe) {
      this.describe = describe;
    }

    @Override
    public int handleExecutionException(
        Exception failure, CommandLine commandLine, ParseResult parseResult) {
      PrintWriter err = commandLine.getErr();
      if (verbose(parseResult)) {
        failure.printStackTrace(err);
      } else {
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe.apply(failure));
      }
      err.flush();
      return FAILURE;
    }
  }

  private static final class UsageErrorReporter implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException problem, String[] args) {
      CommandLine commandLine = problem.getCommandLine();
      String name = commandLine.getCommandSpec().qualifiedName();
      PrintWriter err = commandLine.getErr();
      err.println(name + ": " + message(problem) + " (see '" + name + " --help')");
      err.flush();
      return USAGE;
    }
  }

  /**
   * What went wrong. Of unknown arguments only the first is named, with picocli's suggestions: in
   * {@code --windw 2s} the {@code 2s} is the value of the mistyped option, not a second problem.
   */
  private static String message(ParameterException problem) {
    if (problem instanceof UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      List<String> suggestions = unmatched.getSuggestions();
      String what;
      if (first.startsWith("-")) {
        what = "unknown option";
      } else if (!unmatched.getCommandLine().getSubcommands().isEmpty()) {
        what = "unknown command";
      } else {
        return "unexpected argument '" + first + "'";
      }
      return what
          + " '"
          + first
          + "'"
          + (suggestions.isEmpty()
              ? ""
              : "; did you mean "
                  + suggestions.stream()
                      .map(option -> "'" + option + "'")
                      .collect(Collectors.joining(" or "))
                  + "?");
    }
    return problem.getMessage();
  }

  /**
   * The version of the jar a command runs from, and the Spark line it was built for, from its
   * manifest: {@code lab-cli 0.1.0 (Spark 3.5.5, Scala 2.12)}.
   */
  public static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StandardCommandLine.class.getPackage().getImplementationVersion();
      Attributes manifest = manifest();
      String spark = manifest != null ? manifest.getValue("Spark-Version") : null;
      String scala = manifest != null ? manifest.getValue("Scala-Binary-Version") : null;
      return new String[] {
        "${COMMAND-FULL-NAME} "
            + (version != null ? version : "(development)")
            + (spark != null && scala != null ? " (Spark " + spark + ", Scala " + scala + ")" : "")
      };
    }

    /** The main attributes of the jar this class is in, or null when it is not in a jar. */
    private static Attributes manifest() {
      try {
        java.net.URL code =
            StandardCommandLine.class.getProtectionDomain().getCodeSource().getLocation();
        if (!code.getPath().endsWith(".jar")) {
          return null;
        }
        try (JarFile jar = new JarFile(new java.io.File(code.toURI()))) {
          Manifest read = jar.getManifest();
          return read != null ? read.getMainAttributes() : null;
        }
      } catch (java.io.IOException | java.net.URISyntaxException | SecurityException e) {
        return null;
      }
    }
  }
}
