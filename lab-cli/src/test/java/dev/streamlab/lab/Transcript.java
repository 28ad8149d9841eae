package dev.streamlab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transcript of the documentation: a fenced block of Markdown with lines {@code $ COMMAND}, each
 * followed by the output it shows ({@link ExpectedOutput} says how what varies is written); a
 * command line that ends with {@code \} goes on on the next line, as in bash. The suite runs every
 * transcript ({@code ReadmeTranscriptsIT}) and compares, in the manner of cram's {@code .t} files
 * and trycmd's {@code .md} files:
 *
 * <ul>
 *   <li>{@code (exit code N)} at the end of a command's output is its exit code; without it, 0;
 *   <li>{@code ^C} at the start of a line is a Ctrl-C (SIGINT to the command's JVMs), sent once the
 *       output before it has been printed; the rest of the line is what follows it;
 *   <li>a command whose output ends with a line {@code ...} and that is still running once the
 *       lines before have been printed gets a Ctrl-C too (a job that runs until stopped).
 * </ul>
 *
 * An HTML comment on the line before the block can say how to run it:
 *
 * <ul>
 *   <li>{@code <!-- transcript with a broker at localhost:9092 -->}: the suite starts a new Kafka
 *       broker and runs the block with that broker's address in place of the one named, in the
 *       commands and in the output alike;
 *   <li>{@code <!-- transcript not run: REASON; covered by Class#method, … -->}: the block is not
 *       run (a live session in several terminals, a cluster, minutes of benchmarks), and the named
 *       tests, which must exist, cover its commands instead.
 * </ul>
 *
 * @param file the file, relative to the repository's root
 * @param line the line of its opening fence, from 1
 * @param steps the commands and their outputs
 * @param broker the address replaced by a new broker's, if the block asks for one
 * @param notRun why the block is not run, if it is not
 * @param coveredBy the tests that cover a block that is not run ({@code Class#method})
 */
record Transcript(
    String file,
    int line,
    List<Step> steps,
    Optional<String> broker,
    Optional<String> notRun,
    List<String> coveredBy) {

  /**
   * One command and the output it shows.
   *
   * @param line its line in the file, from 1
   * @param command the command line, as bash runs it
   * @param output the output shown, {@code ^C} taken out
   * @param interruptAfter how many lines of output come before the Ctrl-C, or -1 for none
   * @param exitCode the exit code shown, 0 when none is
   */
  record Step(int line, String command, ExpectedOutput output, int interruptAfter, int exitCode) {}

  // A fence as CommonMark has it: three or more backticks or tildes, then any info string.
  private static final Pattern FENCE = Pattern.compile("^([ \\t]*)(`{3,}|~{3,})([^`]*)$");
  private static final Pattern DIRECTIVE = Pattern.compile("^<!--\\s*transcript\\b(.*?)-->\\s*$");
  private static final Pattern BROKER = Pattern.compile("^with a broker at (\\S+)$");
  private static final Pattern NOT_RUN =
      Pattern.compile("^not run: (.+?); covered by (\\w+#\\w+(?:, \\w+#\\w+)*)$");
  private static final Pattern EXIT_CODE = Pattern.compile("^(.*?)\\s*\\(exit code (\\d+)\\)$");
  private static final String PROMPT = "$ ";
  private static final String CTRL_C = "^C";

  /** Where it is, as {@code README.md:96}. */
  String where() {
    return file + ":" + line;
  }

  /**
   * The transcripts of a Markdown file.
   *
   * @throws IllegalArgumentException naming the line, for a block or directive that is malformed
   */
  static List<Transcript> parse(String file, List<String> markdown) {
    List<Transcript> transcripts = new ArrayList<>();
    int i = 0;
    while (i < markdown.size()) {
      Matcher fence = FENCE.matcher(markdown.get(i));
      if (!fence.matches()) {
        i++;
        continue;
      }
      String indent = fence.group(1); // a block in a list item: its lines are indented alike
      Pattern closing =
          Pattern.compile(
              "^[ \\t]*"
                  + Pattern.quote(fence.group(2).substring(0, 1))
                  + "{"
                  + fence.group(2).length()
                  + ",}[ \\t]*$");
      int open = i;
      int close = open + 1;
      while (close < markdown.size() && !closing.matcher(markdown.get(close)).matches()) {
        close++;
      }
      if (close == markdown.size()) {
        throw new IllegalArgumentException(file + ":" + (open + 1) + ": a block that never ends");
      }
      List<String> body =
          markdown.subList(open + 1, close).stream()
              .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
              .toList();
      String directive = directiveBefore(markdown, open);
      if (body.stream().anyMatch(line -> line.startsWith(PROMPT))) {
        transcripts.add(transcript(file, open + 1, body, directive));
      } else if (directive != null) {
        throw new IllegalArgumentException(
            file + ":" + open + ": a transcript directive before a block without '$ ' commands");
      }
      i = close + 1;
    }
    return transcripts;
  }

  private static String directiveBefore(List<String> markdown, int fence) {
    int before = fence - 1;
    while (before >= 0 && markdown.get(before).isBlank()) {
      before--;
    }
    if (before < 0) {
      return null;
    }
    Matcher directive = DIRECTIVE.matcher(markdown.get(before));
    return directive.matches() ? directive.group(1).strip() : null;
  }

  private static Transcript transcript(String file, int line, List<String> body, String directive) {
    Optional<String> broker = Optional.empty();
    Optional<String> notRun = Optional.empty();
    List<String> coveredBy = List.of();
    if (directive != null) {
      Matcher withBroker = BROKER.matcher(directive);
      Matcher notRunMatcher = NOT_RUN.matcher(directive);
      if (withBroker.matches()) {
        broker = Optional.of(withBroker.group(1));
      } else if (notRunMatcher.matches()) {
        notRun = Optional.of(notRunMatcher.group(1));
        coveredBy = List.of(notRunMatcher.group(2).split(", "));
      } else {
        throw new IllegalArgumentException(
            file
                + ":"
                + (line - 1)
                + ": '"
                + directive
                + "' is not a transcript directive: 'with a broker at HOST:PORT' or 'not run:"
                + " REASON; covered by Class#method, …'");
      }
    }
    if (!body.get(0).startsWith(PROMPT)) {
      throw new IllegalArgumentException(
          file + ":" + (line + 1) + ": a transcript starts with a '$ ' command");
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    while (i < body.size()) {
      int commandLine = line + 1 + i;
      StringBuilder command = new StringBuilder(body.get(i).substring(PROMPT.length()));
      i++;
      while (command.toString().endsWith("\\") && i < body.size()) {
        command.append('\n').append(body.get(i)); // bash joins a line that ends with \
        i++;
      }
      List<String> output = new ArrayList<>();
      while (i < body.size() && !body.get(i).startsWith(PROMPT)) {
        output.add(body.get(i));
        i++;
      }
      steps.add(step(file, commandLine, command.toString(), output));
    }
    return new Transcript(file, line, List.copyOf(steps), broker, notRun, coveredBy);
  }

  private static Step step(String file, int line, String command, List<String> shown) {
    List<String> output = new ArrayList<>(shown);
    while (!output.isEmpty() && output.get(output.size() - 1).isBlank()) {
      output.remove(output.size() - 1);
    }
    int exitCode = 0;
    if (!output.isEmpty()) {
      Matcher exit = EXIT_CODE.matcher(output.get(output.size() - 1));
      if (exit.matches()) {
        exitCode = Integer.parseInt(exit.group(2));
        if (exit.group(1).isEmpty()) {
          output.remove(output.size() - 1);
        } else {
          output.set(output.size() - 1, exit.group(1));
        }
      }
    }
    int interruptAfter = -1;
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i).startsWith(CTRL_C)) {
        if (interruptAfter >= 0) {
          throw new IllegalArgumentException(
              file + ":" + line + ": more than one ^C in the output of one command");
        }
        interruptAfter = i;
        output.set(i, output.get(i).substring(CTRL_C.length()));
      }
    }
    if (interruptAfter < 0
        && !output.isEmpty()
        && output.get(output.size() - 1).equals(ExpectedOutput.ANY_LINES)) {
      interruptAfter = output.size() - 1; // runs until stopped: stopped once the rest is out
    }
    return new Step(line, command, new ExpectedOutput(output), interruptAfter, exitCode);
  }
}
