package dev.streamlab.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.KafkaInput;
import dev.streamlab.jobs.ReportPrinter;
import dev.streamlab.jobs.ReportSinks;
import dev.streamlab.jobs.WordCountReport;
import dev.streamlab.jobs.WordCounts;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import org.apache.spark.streaming.api.java.JavaDStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab-cli run word-count}: running word counts with updateStateByKey (updatestate.py). */
@Command(
    name = "word-count",
    mixinStandardHelpOptions = true,
    description = {
      "Counts every word since the start with updateStateByKey and prints, every batch, the most"
          + " frequent ones, the number of words and of distinct words (the lab's"
          + " updatestate.py). Words are split on whitespace and counted as they are. It keeps"
          + " state, so it always checkpoints: to --checkpoint, or to a temporary directory.",
      "Source: --dir, --socket or --kafka; without one it watches a temporary directory and"
          + " drops a sample text into it every 2 s. On --kafka the counts are kept with the"
          + " offsets they cover instead of in Spark's checkpoint, so a restart after kill -9"
          + " counts every word exactly once."
    })
final class RunWordCountCommand extends LabJobCommand {

  @Option(
      names = "--top",
      defaultValue = "10",
      paramLabel = "N",
      description = "How many of the most frequent words to print. Default: ${DEFAULT-VALUE}.")
  int top;

  @Override
  Feed feed() {
    return Feed.SAMPLE_TEXT;
  }

  @Override
  boolean needsCheckpoint() {
    return true;
  }

  @Override
  void validate() {
    if (top < 0) {
      throw usage("--top must not be negative, was " + top);
    }
  }

  @Override
  void build(JavaDStream<String> lines, String sink) {
    WordCounts.deliver(WordCounts.running(lines), top, sink);
  }

  @Override
  void build(KafkaInput input, String sink) {
    WordCounts.running(input, top, sink);
  }

  @Override
  void register(String sink, PrintWriter out) {
    ReportSinks.register(
        sink,
        WordCountReport.class,
        report -> {
          if (report.distinct() > 0) {
            print(report, out);
          }
        });
  }

  private void print(WordCountReport report, PrintWriter out) {
    if (format == LabFormat.TUPLE) {
      ReportPrinter.printHeader(out, report.timeMillis());
      for (WordCountReport.WordCount count : report.top()) {
        out.println("('" + count.word().replace("'", "\\'") + "', " + count.count() + ")");
      }
      if (report.distinct() > report.top().size()) {
        out.println("...");
      }
      out.println("words: " + report.words() + ", distinct: " + report.distinct());
      out.println();
    } else {
      ObjectNode json =
          JSON.createObjectNode()
              .put("time", jsonTime(report.timeMillis()))
              .put("words", report.words())
              .put("distinct", report.distinct());
      ArrayNode top = json.putArray("top");
      for (WordCountReport.WordCount count : report.top()) {
        top.addObject().put("word", count.word()).put("count", count.count());
      }
      out.println(write(json));
    }
    out.flush();
  }
}
