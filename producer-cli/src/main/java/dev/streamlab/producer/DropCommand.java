package dev.streamlab.producer;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.cli.DurationConverter;
import dev.streamlab.producer.feed.DirectoryDropper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code producer-cli drop}: files into a watched directory, the way Spark's file stream needs. */
@Command(
    name = "drop",
    mixinStandardHelpOptions = true,
    description = {
      "Copies files into a directory watched by Spark's textFileStream, one every --every: each"
          + " is written under a temporary dot-name, given the current time and renamed"
          + " atomically to a fresh name, so Spark never reads half a file and sees the same file"
          + " again when it is dropped again."
    })
final class DropCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "The watched directory (created if missing).")
  Path dir;

  @Option(
      names = "--every",
      defaultValue = "2s",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time between two files. Default: ${DEFAULT-VALUE}.")
  Duration every;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to drop, in order.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString());
      }
    }
    StopSignal stop = StopSignal.trap();
    DirectoryDropper dropper = new DirectoryDropper(dir);
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < files.size() && !stop.requested(); i++) {
      if (i > 0 && stop.await(every)) {
        break;
      }
      out.println("dropped " + files.get(i) + " as " + dropper.drop(files.get(i)));
      out.flush();
    }
    return 0;
  }
}
