package dev.streamlab.lab.print;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.jobs.LinesReport;
import dev.streamlab.jobs.VenueCounts;
import dev.streamlab.jobs.VenueReport;
import dev.streamlab.variance.LabFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a printer's watchers (the live page) get: each report as it is printed in either format,
 * with the run's totals beside it, which standard output does not print.
 */
class ReportPrinterTest {

  @Test
  void aWatcherOfTheLinesGetsTheTextAsPrintedAndTheLinesSoFar() {
    StringWriter out = new StringWriter();
    LinesPrinter printer = new LinesPrinter(new PrintWriter(out), LabFormat.TUPLE);
    List<Printed> watched = new ArrayList<>();
    printer.watch(watched::add);

    printer.accept(new LinesReport(1_000, List.of("A", "B")));
    printer.accept(new LinesReport(2_000, List.of())); // nothing printed, nothing watched
    printer.accept(new LinesReport(3_000, List.of("C")));

    assertThat(watched).extracting(Printed::timeMillis).containsExactly(1_000L, 3_000L);
    assertThat(String.join("", watched.stream().map(Printed::text).toList()))
        .isEqualTo(out.toString());
    assertThat(watched.get(1).json().get("lines").get(0).asText()).isEqualTo("C");
    assertThat(watched)
        .extracting(p -> p.json().get("total_lines").asLong())
        .containsExactly(2L, 3L);
  }

  @Test
  void theVenuesJsonLineLeavesOutTheTotalsThatItsWatchersGet() {
    StringWriter out = new StringWriter();
    VenuesPrinter printer = new VenuesPrinter(new PrintWriter(out), LabFormat.JSON);
    List<Printed> watched = new ArrayList<>();
    printer.watch(watched::add);

    printer.accept(new VenueReport(1_000, new VenueCounts(5, 4, 3, 1), List.of("{\"id\":1}")));
    printer.accept(new VenueReport(2_000, new VenueCounts(2, 2, 1, 0), List.of()));

    List<String> printed = out.toString().lines().toList();
    assertThat(printed).hasSize(2).noneMatch(line -> line.contains("total"));
    assertThat(LabJson.read(printed.get(1)).get("rsvps").asLong()).isEqualTo(2);
    Printed last = watched.get(1);
    assertThat(last.json().get("rsvps").asLong()).isEqualTo(2);
    assertThat(last.json().get("total").get("rsvps").asLong()).isEqualTo(6);
    assertThat(last.json().get("total").get("with_venue").asLong()).isEqualTo(4);
    assertThat(last.json().get("total").get("skipped").asLong()).isEqualTo(1);
    assertThat(last.text()).contains("rsvps: 2, with venue: 1, skipped: 0");
  }
}
