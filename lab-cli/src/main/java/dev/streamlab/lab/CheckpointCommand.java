package dev.streamlab.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.JobStates;
import dev.streamlab.jobs.VarianceState;
import dev.streamlab.jobs.WindowCountReport;
import dev.streamlab.jobs.WindowCountState;
import dev.streamlab.jobs.WordCountState;
import dev.streamlab.jobs.kafka.CheckpointIdentity;
import dev.streamlab.jobs.kafka.Savepoint;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.cli.OutputOptions;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Tally;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab-cli checkpoint}: what a Kafka job's checkpoint holds, and savepoints to move it. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description =
        "Shows what the checkpoint of a job on Kafka holds, and exports it to a savepoint file or"
            + " imports one, to move the job's state to another directory, file system or machine.",
    subcommands = {
      CheckpointCommand.Show.class,
      CheckpointCommand.Export.class,
      CheckpointCommand.Import.class
    })
final class CheckpointCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Prints what the checkpoint directory DIR holds: the job and what it counts (topic,"
              + " topic id, Kafka cluster id), the state file's format, each partition's next"
              + " offset, the records lost, and the job's state (the variance job's statistics"
              + " as its tuple, or with --format json).")
  static final class Show implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin OutputOptions output;

    @Parameters(
        paramLabel = "DIR",
        description = "The checkpoint directory, a path or a Hadoop URI.")
    String dir;

    @Override
    public Integer call() {
      Savepoint.Contents contents = Savepoint.show(dir, JobStates.CODECS);
      PrintWriter out = spec.commandLine().getOut();
      if (output.format() == LabFormat.JSON) {
        out.println(LabJson.write(json(contents)));
      } else {
        print(contents, out);
      }
      return 0;
    }

    private void print(Savepoint.Contents contents, PrintWriter out) {
      CheckpointIdentity identity = contents.identity();
      out.println(
          "checkpoint "
              + dir
              + ": "
              + (identity != null
                  ? "the '" + identity.job() + "' job on topic " + identity.topic()
                  : "a job of release 0.1.0 without its marker, on topic " + topic(contents))
              + ", state format "
              + contents.format());
      if (identity != null && identity.recorded()) {
        out.println("  topic id " + identity.topicId() + ", Kafka cluster " + identity.clusterId());
      } else {
        out.println("  topic id and cluster not recorded yet: the first run that resumes it does");
      }
      out.println("  next offsets: " + offsets(contents.offsets()));
      out.println("  records lost (deleted before they were read): " + contents.lostRecords());
      if (contents.lastBatch() != null) {
        out.println(
            "  last batch saved: "
                + java.time.Instant.ofEpochMilli(contents.lastBatch().timeMillis())
                + " (its report is written again when the job resumes with --output-topic)");
      }
      Object state = contents.state();
      if (state instanceof VarianceState variance) {
        out.println("  " + output.render(variance.total().stats(), variance.total().rejected()));
      } else if (state instanceof Tally tally) {
        out.println("  " + output.render(tally.stats(), tally.rejected()));
      } else if (state instanceof WordCountState words) {
        out.println(
            "  "
                + words.report(0, 10).words()
                + " words, "
                + words.counts().size()
                + " distinct; the most frequent: "
                + top(words));
      } else if (state instanceof WindowCountState window) {
        out.println(
            "  the last "
                + window.batches().size()
                + " of a window of "
                + window.windowBatches()
                + " batches: "
                + window.batches().stream().mapToLong(WindowCountReport.BatchCount::lines).sum()
                + " lines, "
                + window.batches().stream().mapToLong(WindowCountReport.BatchCount::venues).sum()
                + " venues");
      } else {
        out.println("  no state of its own: the job keeps its offsets only");
      }
    }

    private ObjectNode json(Savepoint.Contents contents) {
      ObjectNode json = LabJson.object();
      json.put("checkpoint", dir);
      json.put("format", contents.format());
      CheckpointIdentity identity = contents.identity();
      if (identity != null) {
        json.put("job", identity.job());
        json.put("topic", identity.topic());
        json.put("topic_id", identity.topicId()); // null when not recorded yet
        json.put("cluster_id", identity.clusterId());
      } else {
        json.putNull("job");
        json.put("topic", topic(contents));
      }
      ObjectNode offsets = json.putObject("offsets");
      sorted(contents.offsets()).forEach(e -> offsets.put(e.getKey().toString(), e.getValue()));
      json.put("lost_records", contents.lostRecords());
      if (contents.lastBatch() != null) {
        json.put(
            "last_batch",
            java.time.Instant.ofEpochMilli(contents.lastBatch().timeMillis()).toString());
      } else {
        json.putNull("last_batch");
      }
      Object state = contents.state();
      if (state instanceof VarianceState variance) {
        LabJson.putStats(
            json.putObject("state"),
            variance.total().stats(),
            variance.total().rejected(),
            output.algorithm());
      } else if (state instanceof Tally tally) {
        LabJson.putStats(
            json.putObject("state"), tally.stats(), tally.rejected(), output.algorithm());
      } else if (state instanceof WordCountState words) {
        ObjectNode counts = json.putObject("state").putObject("counts");
        words.counts().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> counts.put(e.getKey(), e.getValue()));
      } else if (state instanceof WindowCountState window) {
        ObjectNode node = json.putObject("state");
        node.put("window_batches", window.windowBatches());
        var batches = node.putArray("batches");
        for (WindowCountReport.BatchCount batch : window.batches()) {
          batches
              .addObject()
              .put("time", batch.timeMillis())
              .put("lines", batch.lines())
              .put("venues", batch.venues());
        }
      } else {
        json.putNull("state");
      }
      return json;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Writes the state of the checkpoint directory DIR to the new file FILE, a savepoint: one"
              + " self-contained file in the current state format (what the job counts, its"
              + " offsets and its state, with a checksum), for 'checkpoint import'.")
  static final class Export implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory.")
    String dir;

    @Parameters(index = "1", paramLabel = "FILE", description = "The savepoint file to write.")
    Path file;

    @Override
    public Integer call() {
      Savepoint.Contents contents = Savepoint.export(dir, file, JobStates.CODECS);
      spec.commandLine()
          .getErr()
          .println(
              "Exported the '"
                  + contents.identity().job()
                  + "' job's state ("
                  + offsets(contents.offsets())
                  + ") to "
                  + file);
      return 0;
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Makes the new directory DIR the checkpoint of the savepoint FILE: the job run with"
              + " --checkpoint DIR goes on from the savepoint's offsets and state. DIR must hold"
              + " no checkpoint.")
  static final class Import implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The savepoint file.")
    Path file;

    @Parameters(
        index = "1",
        paramLabel = "DIR",
        description = "The checkpoint directory to make, a path or a Hadoop URI.")
    String dir;

    @Override
    public Integer call() {
      Savepoint.Contents contents = Savepoint.importInto(file, dir, JobStates.CODECS);
      spec.commandLine()
          .getErr()
          .println(
              "Imported the '"
                  + contents.identity().job()
                  + "' job's state on topic "
                  + contents.identity().topic()
                  + " ("
                  + offsets(contents.offsets())
                  + ") into "
                  + dir
                  + ": run the job with --checkpoint "
                  + dir);
      return 0;
    }
  }

  /** "variance-0 at 42, variance-1 at 17", in partition order; "none" when empty. */
  private static String offsets(Map<TopicPartition, Long> offsets) {
    return offsets.isEmpty()
        ? "no offsets yet"
        : sorted(offsets).stream()
            .map(e -> e.getKey() + " at " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private static java.util.List<Map.Entry<TopicPartition, Long>> sorted(
      Map<TopicPartition, Long> offsets) {
    return offsets.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
                .thenComparingInt(e -> e.getKey().partition()))
        .toList();
  }

  private static String topic(Savepoint.Contents contents) {
    return contents.offsets().keySet().stream()
        .map(TopicPartition::topic)
        .findFirst()
        .orElse("(unknown)");
  }

  private static String top(WordCountState words) {
    return words.report(0, 5).top().stream()
        .map(word -> word.word() + " " + word.count())
        .collect(Collectors.joining(", "));
  }
}
