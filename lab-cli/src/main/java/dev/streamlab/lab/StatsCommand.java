package dev.streamlab.lab;

import dev.streamlab.producer.cli.OutputOptions;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Tally;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lab-cli stats}: the statistics of every number in some files, the ground truth that the
 * streaming jobs are checked against.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the statistics of every number in the files (standard input when none, or '-'):"
          + " the ground truth for a data file, in the format the streaming jobs print.",
      "Numbers are separated by whitespace; tokens that are not finite numbers are rejected and"
          + " counted (in json as \"rejected\", in tuple form as a note on standard error)."
    })
final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand LabCli lab;

  @Mixin OutputOptions output;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Files of numbers, read as UTF-8; '-' is standard input.")
  List<String> files = List.of();

  @Override
  public Integer call() throws IOException {
    Tally numbers = Tally.EMPTY;
    for (String file : files.isEmpty() ? List.of("-") : files) {
      try (InputStream in = file.equals("-") ? nonClosing(lab.stdin) : open(Path.of(file));
          // InputStreamReader replaces malformed UTF-8, so such a token is rejected, not fatal.
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
        numbers = numbers.plus(Tally.of(reader.lines().iterator()));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    spec.commandLine().getOut().println(output.render(numbers.stats(), numbers.rejected()));
    if (numbers.rejected() > 0 && output.format() == LabFormat.TUPLE) {
      spec.commandLine()
          .getErr()
          .printf("note: %d token(s) rejected: not finite numbers%n", numbers.rejected());
    }
    return 0;
  }

  private static InputStream open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a directory, not a file");
    }
    return Files.newInputStream(file);
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }
}
