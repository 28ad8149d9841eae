package dev.streamlab.lab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.producer.base.Durations;
import dev.streamlab.producer.feed.BrokerSecurity;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What {@code bench variance} prints: a table or one JSON object per run ({@code --format}). */
final class BenchReport {

  /** The output formats of the bench. */
  enum Format {
    TEXT,
    JSON
  }

  private final PrintWriter out;
  private final Format format;
  private final Duration batch;
  private final int numbersPerLine;
  private final BrokerSecurity.Mode security;
  private boolean securitySaid;

  BenchReport(
      PrintWriter out,
      Format format,
      Duration batch,
      int numbersPerLine,
      BrokerSecurity.Mode security) {
    this.out = out;
    this.format = format;
    this.batch = batch;
    this.numbersPerLine = numbersPerLine;
    this.security = security;
  }

  /** A new JSON report, with the broker's security. */
  private ObjectNode json() {
    return LabJson.object().put("security", security.name().toLowerCase(Locale.ROOT));
  }

  /** In text, a first line that says the broker is secured: none for plaintext, the default. */
  private void securityLine() {
    if (security != BrokerSecurity.Mode.PLAINTEXT && !securitySaid) {
      securitySaid = true;
      out.println(
          "The embedded broker speaks "
              + security.protocol()
              + (security == BrokerSecurity.Mode.SASL_SSL
                  ? " (" + BrokerSecurity.MECHANISM + " over TLS)"
                  : " (mutual TLS)")
              + ": every figure includes what it costs");
    }
  }

  /**
   * The phases on one preloaded topic, round by round: the limit first, then the job, then its
   * peers. Each figure is the median of the rounds with its range; each ratio is taken within a
   * round.
   */
  void phases(List<List<PhaseResult>> rounds, long lines, long warmupLines, int partitions) {
    List<String> names = rounds.get(0).stream().map(PhaseResult::name).toList();
    int job = names.indexOf("job");
    if (format == Format.JSON) {
      ObjectNode json = json();
      json.put("lines", lines).put("numbers_per_line", numbersPerLine);
      json.put("warmup_lines", warmupLines).put("rounds", rounds.size());
      json.put("partitions", partitions).put("batch_ms", batch.toMillis());
      for (int phase = 0; phase < names.size(); phase++) {
        PhaseResult last = rounds.get(rounds.size() - 1).get(phase);
        Spread speed = Spread.over(rounds, phase, PhaseResult::numbersPerSecond);
        Spread toLimit = Spread.ratio(rounds, phase, 0);
        ObjectNode node = json.putObject(names.get(phase));
        put(node, "numbers_per_s", speed, true);
        node.put(
            "records_per_s",
            Math.round(Spread.over(rounds, phase, PhaseResult::recordsPerSecond).median()));
        node.put("seconds", Spread.over(rounds, phase, PhaseResult::seconds).median());
        node.put(
            "from_start_seconds",
            Spread.over(rounds, phase, PhaseResult::fromStartSeconds).median());
        put(node, "ratio_to_limit", toLimit, false);
        node.put("n", last.sums().n());
        node.put("sum_x", last.sums().sumX());
        node.put("sum_x_square", last.sums().sumXSquare());
        node.put(
            "peak_heap_mb",
            Math.round(Spread.over(rounds, phase, r -> (double) r.peakHeapMb()).max()));
        if (last.batches() != null) {
          node.put("batches", last.batches().count());
          node.put("max_processing_ms", last.batches().maxProcessingMillis());
          node.put("mean_processing_ms", last.batches().meanProcessingMillis());
          node.put("max_scheduling_delay_ms", last.batches().maxSchedulingDelayMillis());
        }
      }
      ObjectNode jobNode = json.withObject("/job");
      for (int peer = job + 1; peer < names.size(); peer++) {
        String field = "ratio_to_" + names.get(peer).replace('-', '_');
        put(jobNode, field, Spread.ratio(rounds, job, peer), false);
        put(jobNode, field + "_from_start", Spread.fromStartRatio(rounds, job, peer), false);
      }
      out.println(LabJson.write(json));
    } else {
      securityLine();
      out.printf(
          "%d rounds, interleaved; each figure the median of the rounds, [min–max], each ratio"
              + " taken within a round; seconds of processing (first record to exact total) and"
              + " from the start (start-up included)%n",
          rounds.size());
      out.printf(
          "%-13s %28s %25s %8s %10s %14s %10s%n",
          "", "numbers/s", "vs limit", "seconds", "from start", "max batch ms", "peak heap");
      for (int phase = 0; phase < names.size(); phase++) {
        Spread speed = Spread.over(rounds, phase, PhaseResult::numbersPerSecond);
        Spread toLimit = Spread.ratio(rounds, phase, 0);
        PhaseResult last = rounds.get(rounds.size() - 1).get(phase);
        out.printf(
            "%-13s %,12.0f [%,.0f–%,.0f] %6.1f%% [%.0f–%.0f%%] %8.2f %10.2f %14s %7.0f MB%n",
            names.get(phase),
            speed.median(),
            speed.min(),
            speed.max(),
            100 * toLimit.median(),
            100 * toLimit.min(),
            100 * toLimit.max(),
            Spread.over(rounds, phase, PhaseResult::seconds).median(),
            Spread.over(rounds, phase, PhaseResult::fromStartSeconds).median(),
            last.batches() == null
                ? "-"
                : last.batches().maxProcessingMillis() + " / " + batch.toMillis(),
            Spread.over(rounds, phase, r -> (double) r.peakHeapMb()).max());
      }
      for (int peer = job + 1; peer < names.size(); peer++) {
        out.printf(
            "job / %s: %s processing, %s from the start%n",
            names.get(peer),
            times(Spread.ratio(rounds, job, peer)),
            times(Spread.fromStartRatio(rounds, job, peer)));
      }
      for (int phase = 0; phase < names.size(); phase++) {
        out.printf(
            "%-13s n, Σx, Σx² = %s%n",
            names.get(phase), describe(rounds.get(rounds.size() - 1).get(phase).sums()));
      }
    }
    out.flush();
  }

  /** A ratio as {@code 13.2× [11.8–17.1×]}; near 1 (what the live page costs) with two decimals. */
  private static String times(Spread ratio) {
    String digits = ratio.median() < 10 ? "%.2f" : "%.1f";
    return String.format(
        digits + "× [" + digits + "–" + digits + "×]", ratio.median(), ratio.min(), ratio.max());
  }

  /** {@code field}, {@code field_min} and {@code field_max} of {@code spread}, rounded or not. */
  private static void put(ObjectNode node, String field, Spread spread, boolean round) {
    if (round) {
      node.put(field, Math.round(spread.median()));
      node.put(field + "_min", Math.round(spread.min()));
      node.put(field + "_max", Math.round(spread.max()));
    } else {
      node.put(field, spread.median());
      node.put(field + "_min", spread.min());
      node.put(field + "_max", spread.max());
    }
  }

  /** One sustained run: a JSON object on one line, or a few lines of text. */
  void sustained(SustainedRateBench.Outcome outcome) {
    double rate = outcome.requestedLinesPerSecond();
    if (format == Format.JSON) {
      ObjectNode json = json();
      json.put("rate_lines_per_s", rate).put("numbers_per_line", numbersPerLine);
      json.put("batch_ms", batch.toMillis()).put("seconds", outcome.secondsSending());
      ObjectNode node = json.putObject("job");
      node.put("lines_sent", outcome.linesSent());
      node.put("sent_lines_per_s", Math.round(outcome.sentLinesPerSecond()));
      node.put("n", outcome.countedAfterWarmup());
      node.put("warmup_numbers", outcome.warmupNumbers());
      node.put("batches", outcome.batches().size());
      node.put("max_processing_ms", outcome.maxProcessingMillis());
      node.put("mean_processing_ms", outcome.meanProcessingMillis());
      node.put("max_scheduling_delay_ms", outcome.maxSchedulingDelayMillis());
      node.put("latency_p50_ms", outcome.latency().p50());
      node.put("latency_p99_ms", outcome.latency().p99());
      node.put("latency_max_ms", outcome.latency().max());
      node.put("heap_before_mb", outcome.heapBeforeMb());
      node.put("heap_after_mb", outcome.heapAfterMb());
      json.put("sustainable", outcome.sustainable());
      out.println(LabJson.write(json));
    } else {
      securityLine();
      out.printf(
          "Sustained %,.0f lines/s (%,.0f numbers/s) for %.1f s on %s batches, after %.0f s at"
              + " that rate not measured:%n",
          rate,
          rate * numbersPerLine,
          outcome.secondsSending(),
          Durations.format(batch),
          outcome.warmupNumbers() / (double) numbersPerLine / rate);
      out.printf(
          "  sent %,d lines (%,.0f/s); counted n = %,d of %,d%n",
          outcome.linesSent(),
          outcome.sentLinesPerSecond(),
          outcome.countedAfterWarmup(),
          outcome.linesSent() * numbersPerLine);
      out.printf(
          "  %d batches: processing max %d ms, mean %d ms; scheduling delay max %d ms%n",
          outcome.batches().size(),
          outcome.maxProcessingMillis(),
          outcome.meanProcessingMillis(),
          outcome.maxSchedulingDelayMillis());
      out.printf(
          "  latency, from each line's send to the first report that counts it: p50 %d ms, p99"
              + " %d ms, max %d ms (batch %d ms)%n",
          outcome.latency().p50(),
          outcome.latency().p99(),
          outcome.latency().max(),
          batch.toMillis());
      out.printf(
          "  heap after a full collection: %d MB before the first line, %d MB after the last%n",
          outcome.heapBeforeMb(), outcome.heapAfterMb());
      out.println(
          outcome.sustainable()
              ? "  sustainable: yes, the scheduling delay stayed below the batch interval"
              : "  sustainable: no, batches waited a whole interval or more (or the producer fell"
                  + " behind)");
    }
    out.flush();
  }

  /** The last line of several sustained runs, in text: the highest rate sustained. */
  void highestSustained(Double highest) {
    if (format == Format.TEXT) {
      out.println(
          highest == null
              ? "None of the rates tried was sustainable"
              : String.format(
                  "Highest sustainable rate of those tried: %,.0f lines/s (%,.0f numbers/s)",
                  highest, highest * numbersPerLine));
      out.flush();
    }
  }

  /**
   * The capacity searches: each cap tried, and the highest sustained, the median of the rounds with
   * its range.
   */
  void capacity(List<CapacitySearch.Outcome> rounds, long backlogLines) {
    List<Double> highest =
        rounds.stream().map(r -> r.highest() == null ? 0.0 : r.highest()).toList();
    Spread spread = Spread.of(highest);
    boolean bound = rounds.stream().anyMatch(CapacitySearch.Outcome::backlogBound);
    if (format == Format.JSON) {
      ObjectNode json = json();
      json.put("backlog_lines", backlogLines).put("numbers_per_line", numbersPerLine);
      json.put("batch_ms", batch.toMillis()).put("rounds", rounds.size());
      json.put("warm_batches", CapacitySearch.WARM_BATCHES);
      json.put("measured_batches", CapacitySearch.MEASURED_BATCHES);
      put(json, "sustainable_lines_per_s", spread, true);
      json.put("sustainable_numbers_per_s", Math.round(spread.median() * numbersPerLine));
      json.put("backlog_bound", bound);
      var steps = json.putArray("steps");
      for (int round = 0; round < rounds.size(); round++) {
        for (CapacitySearch.Step step : rounds.get(round).steps()) {
          steps
              .addObject()
              .put("round", round + 1)
              .put("lines_per_s", Math.round(step.linesPerSecond()))
              .put("median_processing_ms", step.medianProcessingMillis())
              .put("max_processing_ms", step.maxProcessingMillis())
              .put("max_scheduling_delay_ms", step.maxSchedulingDelayMillis())
              .put("last_scheduling_delay_ms", step.lastSchedulingDelayMillis())
              .put("sustainable", step.sustainable())
              .put("exact", step.exact());
        }
      }
      out.println(LabJson.write(json));
    } else {
      securityLine();
      out.printf(
          "Capacity on %s batches: a backlog of %,d lines of %d numbers drained under caps, a new"
              + " job per cap (%d batch to warm up, %d measured; sustained when their median ends"
              + " within the interval and the last did not wait a whole one)%n",
          Durations.format(batch),
          backlogLines,
          numbersPerLine,
          CapacitySearch.WARM_BATCHES,
          CapacitySearch.MEASURED_BATCHES);
      out.printf(
          "%-6s %14s %16s %8s %12s %10s%n",
          "round", "cap lines/s", "batch ms median", "max", "last waited", "sustained");
      for (int round = 0; round < rounds.size(); round++) {
        for (CapacitySearch.Step step : rounds.get(round).steps()) {
          out.printf(
              "%-6d %,14.0f %16d %8d %12d %10s%n",
              round + 1,
              step.linesPerSecond(),
              step.medianProcessingMillis(),
              step.maxProcessingMillis(),
              step.lastSchedulingDelayMillis(),
              step.sustainable() ? "yes" : "no");
        }
      }
      out.printf(
          "Highest sustained: %,.0f lines/s [%,.0f–%,.0f] (%,.0f numbers/s), median of %d"
              + " rounds%s%n",
          spread.median(),
          spread.min(),
          spread.max(),
          spread.median() * numbersPerLine,
          rounds.size(),
          bound
              ? "; at least that: the backlog could not fill a higher cap's batches (more --lines)"
              : "");
    }
    out.flush();
  }

  /** n, Σx, Σx² as the text output and the disagreement message give them. */
  static String describe(ExactSums sums) {
    return sums.n() + ", " + sums.sumX() + ", " + sums.sumXSquare();
  }
}
