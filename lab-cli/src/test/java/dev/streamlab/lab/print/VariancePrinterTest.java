package dev.streamlab.lab.print;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.jobs.VarianceReport;
import dev.streamlab.jobs.kafka.PartitionLag;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import dev.streamlab.variance.Tally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the variance job prints beside the statistics: rejected, empty and lost records. */
class VariancePrinterTest {

  private static final Tally TOTAL = new Tally(Stats.of(1, 2, 3, 4, 5, 6), 2, 3);

  @Test
  void jsonAlwaysCarriesEmptyRecordsAndLostRecordsOnceThereAreAny() {
    assertThat(print(LabFormat.JSON, report(0)))
        .isEqualTo(
            "{\"time\":\"2026-11-21T12:00:02Z\",\"sum_x_square\":91.0,\"sum_x\":21.0,\"n\":6,"
                + "\"var\":2.9166666666666665,\"rejected\":2,\"empty_records\":3,\"final\":true}\n");
    assertThat(print(LabFormat.JSON, report(10)))
        .contains("\"rejected\":2,\"empty_records\":3,\"lost_records\":10,\"final\":true}");
  }

  @Test
  void theTupleIsTheLabsAndTheCountsAreLinesUnderIt() {
    assertThat(print(LabFormat.TUPLE, report(10)).lines())
        .containsSubsequence(
            "('sum_x_square:', 91.0, 'sum_x:', 21.0, 'n:', 6.0, 'var:', 2.9166666666666665)",
            "rejected tokens: 2",
            "empty records (no value): 3",
            "lost records (deleted before they were read): 10");
    assertThat(
            print(
                LabFormat.TUPLE,
                new VarianceReport(
                    0, Tally.EMPTY, Tally.EMPTY, true, 0, List.of(), List.of(), List.of(), false)))
        .doesNotContain("rejected")
        .doesNotContain("empty records")
        .doesNotContain("lost records");
  }

  @Test
  void theLagIsInTheJsonAndUnderTheTupleWhenItIsNotZero() {
    List<PartitionLag> lag =
        List.of(
            new PartitionLag("variance", 0, 90, 100, 100),
            new PartitionLag("variance", 1, 40, 40, 43));
    VarianceReport behind = withLag(report(0), lag);

    JsonNode json = LabJson.read(print(LabFormat.JSON, behind).strip()).get("lag");
    assertThat(json.get("records_behind").asLong()).isEqualTo(10);
    assertThat(json.get("held_back").asLong()).isEqualTo(3);
    JsonNode second = json.get("partitions").get(1);
    assertThat(second.get("partition").asText()).isEqualTo("variance-1");
    assertThat(second.get("next_offset").asLong()).isEqualTo(40);
    assertThat(second.get("last_stable_offset").asLong()).isEqualTo(40);
    assertThat(second.get("log_end_offset").asLong()).isEqualTo(43);
    assertThat(second.get("records_behind").asLong()).isZero();
    assertThat(second.get("held_back").asLong()).isEqualTo(3);

    StringWriter text = new StringWriter();
    VariancePrinter printer =
        new VariancePrinter(new PrintWriter(text), LabFormat.TUPLE, Algorithm.STABLE, false);
    printer.accept(behind);
    VarianceReport caughtUp =
        withLag(report(0), List.of(new PartitionLag("variance", 0, 100, 100, 100)));
    printer.accept(caughtUp);
    printer.finish();
    assertThat(text.toString().lines().filter(l -> l.startsWith("lag: ")))
        .containsExactly( // none under the second tuple, nor the summary's: it has caught up
            "lag: 10 records behind (variance-0 10, variance-1 0); 3 held back by open"
                + " transactions (variance-1 3)");
    assertThat(print(LabFormat.JSON, report(0))).doesNotContain("lag"); // unknown: not said
  }

  private static VarianceReport withLag(VarianceReport report, List<PartitionLag> lag) {
    return new VarianceReport(
        report.timeMillis(),
        report.cumulative(),
        report.window(),
        report.due(),
        report.lostRecords(),
        report.lostInBatch(),
        report.stalls(),
        lag,
        false);
  }

  @Test
  void aWatcherGetsTheTupleAsPrintedAndTheJsonWithTheWindowEvenWhenItIsNotPrinted() {
    StringWriter text = new StringWriter();
    VariancePrinter printer =
        new VariancePrinter(new PrintWriter(text), LabFormat.TUPLE, Algorithm.STABLE, false);
    List<Printed> watched = new ArrayList<>();
    printer.watch(watched::add);

    printer.accept(report(0));
    printer.finish();

    assertThat(watched).hasSize(2);
    Printed due = watched.get(0);
    assertThat(due.last()).isFalse();
    assertThat(text.toString()).startsWith(due.text());
    assertThat(due.text()).contains("('sum_x_square:', 91.0").doesNotContain("window:");
    assertThat(due.json().get("n").asLong()).isEqualTo(6);
    assertThat(due.json().get("window").get("n").asLong()).isEqualTo(6);
    assertThat(watched.get(1).last()).isTrue();
    assertThat(watched.get(1).text()).contains("Final, after 1 batches");
  }

  @Test
  void aResumedReportGoesToTheWatchersOnlyWhenDueAndCountsForNothingPrinted() {
    StringWriter text = new StringWriter();
    VariancePrinter printer =
        new VariancePrinter(new PrintWriter(text), LabFormat.JSON, Algorithm.STABLE, false);
    List<Printed> watched = new ArrayList<>();
    printer.watch(watched::add);
    VarianceReport saved = report(0);

    printer.accept(resumed(saved, false));
    assertThat(watched).as("not due: never written by the run that saved it").isEmpty();
    printer.accept(resumed(saved, true));
    printer.finish();

    assertThat(text.toString()).as("nothing printed, no final summary").isEmpty();
    assertThat(watched).hasSize(1);
    Printed again = watched.get(0);
    assertThat(again.kind()).isEqualTo(Printed.Kind.RESUMED);
    assertThat(again.timeMillis()).isEqualTo(saved.timeMillis());

    printer.accept(saved);
    assertThat(watched.get(1).kind()).isEqualTo(Printed.Kind.BATCH);
    assertThat(LabJson.write(watched.get(1).json()))
        .as("the same value as the run that saved it wrote")
        .isEqualTo(LabJson.write(again.json()));
  }

  private static VarianceReport resumed(VarianceReport report, boolean due) {
    return new VarianceReport(
        report.timeMillis(),
        report.cumulative(),
        report.window(),
        due,
        report.lostRecords(),
        report.lostInBatch(),
        report.stalls(),
        report.lag(),
        true);
  }

  @Test
  void jsonPrintsTheWindowOnlyWithShowWindow() {
    StringWriter text = new StringWriter();
    new VariancePrinter(new PrintWriter(text), LabFormat.JSON, Algorithm.STABLE, false)
        .accept(report(0));
    assertThat(text.toString()).doesNotContain("window");
    text = new StringWriter();
    new VariancePrinter(new PrintWriter(text), LabFormat.JSON, Algorithm.STABLE, true)
        .accept(report(0));
    assertThat(LabJson.read(text.toString().strip()).get("window").get("n").asLong()).isEqualTo(6);
  }

  private static VarianceReport report(long lost) {
    return new VarianceReport(
        java.time.Instant.parse("2026-11-21T12:00:02Z").toEpochMilli(),
        TOTAL,
        TOTAL,
        true,
        lost,
        List.of(),
        List.of(),
        List.of(),
        false);
  }

  private static String print(LabFormat format, VarianceReport report) {
    StringWriter text = new StringWriter();
    VariancePrinter printer =
        new VariancePrinter(new PrintWriter(text), format, Algorithm.STABLE, false);
    // Not due: counted, not printed; the final summary then prints it.
    printer.accept(
        new VarianceReport(
            report.timeMillis(),
            report.cumulative(),
            report.window(),
            false,
            report.lostRecords(),
            report.lostInBatch(),
            report.stalls(),
            report.lag(),
            false));
    printer.finish();
    return text.toString().replace(System.lineSeparator(), "\n");
  }
}
