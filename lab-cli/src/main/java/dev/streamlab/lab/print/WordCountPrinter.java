package dev.streamlab.lab.print;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.jobs.WordCountReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;

/**
 * Prints the running word count after each batch, once there is a word: the most frequent words as
 * the lab's {@code pprint} of pairs, then the number of words and of distinct words; or one JSON
 * object with them.
 */
public final class WordCountPrinter extends ReportPrinter<WordCountReport> {

  public WordCountPrinter(PrintWriter out, LabFormat format) {
    super(out, format);
  }

  @Override
  public void accept(WordCountReport report) {
    if (report.distinct() == 0) {
      return;
    }
    ObjectNode json =
        LabJson.at(report.timeMillis())
            .put("words", report.words())
            .put("distinct", report.distinct());
    ArrayNode top = json.putArray("top");
    for (WordCountReport.WordCount count : report.top()) {
      top.addObject().put("word", count.word()).put("count", count.count());
    }
    show(
        report.timeMillis(),
        out -> {
          BatchHeader.printBatch(out, report.timeMillis());
          for (WordCountReport.WordCount count : report.top()) {
            out.println("('" + count.word().replace("'", "\\'") + "', " + count.count() + ")");
          }
          if (report.distinct() > report.top().size()) {
            out.println("...");
          }
          out.println("words: " + report.words() + ", distinct: " + report.distinct());
          out.println();
        },
        json);
  }
}
