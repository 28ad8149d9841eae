package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.ExactSums;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.run.IntakeOptions;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/**
 * {@code lab-cli bench variance} on a small topic: the four phases run on a real embedded broker,
 * Spark and Kafka Streams, and agree on n, Σx and Σx². Speed is what the command reports, not what
 * is tested.
 */
class BenchVarianceCommandTest {

  @AfterEach
  void forgetTheIntakeSettings() {
    System.clearProperty(IntakeOptions.MAX_RATE); // the options set JVM-wide Spark settings
    System.clearProperty(IntakeOptions.BACKPRESSURE);
  }

  @TempDir Path dir;

  @Test
  void theLimitTheJobKafkaStreamsAndThePublishedPlanCountTheSameNumbers() throws Exception {
    Path chart = dir.resolve("bench.svg");
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--lines",
            "20000",
            "--numbers-per-line",
            "3",
            "--warmup-lines",
            "2000",
            "--repeat",
            "2",
            "--plot",
            chart.toString(),
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = LabJson.read(run.out());
    assertThat(json.get("rounds").asInt()).isEqualTo(2);
    // The chart: a bar per phase, in an SVG document any XML parser reads.
    NodeList bars =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(chart.toFile())
            .getElementsByTagName("rect");
    assertThat(bars.getLength()).isEqualTo(1 + 4); // the background and the four phases
    assertThat(run.err()).contains("Chart written to " + chart);
    assertThat(run.err()).contains("Round 1 of 2", "Round 2 of 2");
    for (String phase : new String[] {"limit", "job", "kafka-streams", "published"}) {
      JsonNode result = json.get(phase);
      assertThat(result.get("n").asLong()).as(phase).isEqualTo(60_000);
      assertThat(ExactSums.of(result)).as(phase).isEqualTo(ExactSums.of(json.get("limit")));
      assertThat(result.get("numbers_per_s").asLong()).as(phase).isPositive();
      assertThat(result.get("records_per_s").asLong()).as(phase).isPositive();
      assertThat(result.get("peak_heap_mb").asLong()).as(phase).isPositive();
      assertThat(result.get("numbers_per_s").asLong())
          .as(phase)
          .isBetween(
              result.get("numbers_per_s_min").asLong(), result.get("numbers_per_s_max").asLong());
      assertThat(result.get("ratio_to_limit").asDouble())
          .as(phase)
          .isBetween(
              result.get("ratio_to_limit_min").asDouble(),
              result.get("ratio_to_limit_max").asDouble());
      // From the start, start-up included, is never sooner than the processing alone.
      assertThat(result.get("from_start_seconds").asDouble())
          .as(phase)
          .isGreaterThanOrEqualTo(result.get("seconds").asDouble());
    }
    for (String ratio :
        new String[] {
          "ratio_to_published",
          "ratio_to_kafka_streams",
          "ratio_to_published_from_start",
          "ratio_to_kafka_streams_from_start"
        }) {
      JsonNode job = json.get("job");
      assertThat(job.get(ratio).asDouble())
          .as(ratio)
          .isPositive()
          .isBetween(job.get(ratio + "_min").asDouble(), job.get(ratio + "_max").asDouble());
    }
    assertThat(json.get("job").get("batches").asLong()).isPositive();
    assertThat(json.get("limit").get("ratio_to_limit").asDouble()).isEqualTo(1.0);
  }

  /**
   * On a secured broker, which has no plaintext listener: a phase that connected without the
   * broker's client settings would fail, not count.
   */
  @Test
  void onABrokerWithScramOverTlsEveryPhaseCountsTheSameNumbers() throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--security",
            "sasl_ssl",
            "--lines",
            "5000",
            "--numbers-per-line",
            "3",
            "--warmup-lines",
            "0",
            "--repeat",
            "1",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = LabJson.read(run.out());
    assertThat(json.get("security").asText()).isEqualTo("sasl_ssl");
    for (String phase : new String[] {"limit", "job", "kafka-streams", "published"}) {
      assertThat(json.get(phase).get("n").asLong()).as(phase).isEqualTo(15_000);
      assertThat(ExactSums.of(json.get(phase)))
          .as(phase)
          .isEqualTo(ExactSums.of(json.get("limit")));
    }
  }

  @Test
  void atASustainedRateOnABrokerWithMutualTlsTheJobCountsEverythingSent() throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--security",
            "ssl",
            "--rate",
            "1000/s",
            "--rate-warmup",
            "1s",
            "--duration",
            "2s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "The embedded broker speaks SSL (mutual TLS): every figure includes what it costs")
        .contains("sent 2,000 lines")
        .contains("counted n = 12,000 of 12,000");
  }

  @Test
  void atASustainedRateTheJobCountsEverythingSentAndReportsItsBatches() throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--rate",
            "2000/s",
            "--rate-warmup",
            "1s",
            "--duration",
            "4s",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = LabJson.read(run.out());
    JsonNode job = json.get("job");
    assertThat(job.get("lines_sent").asLong()).isEqualTo(8_000);
    assertThat(job.get("n").asLong()).isEqualTo(8_000 * 6); // after the warm-up's lines:
    assertThat(job.get("warmup_numbers").asLong()).isEqualTo(2_000 * 6);
    assertThat(job.get("heap_after_mb").asLong()).isPositive();
    assertThat(job.get("batches").asLong()).isPositive();
    assertThat(json.has("sustainable")).isTrue();
    // Every line waits for a batch to end and its report to come: never nothing, never minutes.
    long p50 = job.get("latency_p50_ms").asLong();
    long p99 = job.get("latency_p99_ms").asLong();
    long max = job.get("latency_max_ms").asLong();
    assertThat(p50).isPositive();
    assertThat(p99).isBetween(p50, max);
    assertThat(max).isLessThan(60_000);
  }

  @Test
  void severalRatesRunOneAfterTheOtherEachOnANewTopicAndTheHighestSustainableIsNamed() {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--rate",
            "1000/s,1500/s",
            "--rate-warmup",
            "0s",
            "--duration",
            "3s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Sustained 1,000 lines/s")
        .contains("counted n = 18,000 of 18,000") // 3,000 lines: a job on the first run's topic
        .contains("Sustained 1,500 lines/s") //    would count the 3,000 lines before as well
        .contains("counted n = 27,000 of 27,000")
        .containsPattern(
            "Highest sustainable rate of those tried: 1,[05]00 lines/s"
                + "|None of the rates tried was sustainable");
  }

  @Test
  void theCapacitySearchRaisesTheCapUntilTheBacklogEndsItAndEveryJobCountsWhatItRead()
      throws Exception {
    // 300,000 lines on 200 ms batches fill the 6 batches of a step up to 225,000 lines/s: the
    // search tries 200,000, then that highest cap, and stops there, bound by the backlog.
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--capacity",
            "--lines",
            "300000",
            "--numbers-per-line",
            "1",
            "--batch",
            "200ms",
            "--repeat",
            "1",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = LabJson.read(run.out());
    assertThat(json.get("backlog_lines").asLong()).isEqualTo(300_000);
    JsonNode steps = json.get("steps");
    assertThat(steps).isNotEmpty();
    assertThat(steps.get(0).get("lines_per_s").asLong()).isEqualTo(200_000);
    for (JsonNode step : steps) {
      assertThat(step.get("exact").asBoolean()).as(step.toString()).isTrue();
      assertThat(step.get("lines_per_s").asLong()).isLessThanOrEqualTo(225_000);
      assertThat(step.get("median_processing_ms").asLong())
          .isBetween(0L, step.get("max_processing_ms").asLong());
    }
    if (steps.get(0).get("sustainable").asBoolean()) {
      assertThat(json.get("sustainable_lines_per_s").asLong()).isGreaterThanOrEqualTo(200_000);
    }
  }

  @Test
  void thePhasesCanLeaveThePeersOutButNeverTheLimitOrTheJobAndTheJobCanHaveItsPage()
      throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--phases",
            "job-ops,job-page,job,limit",
            "--lines",
            "10000",
            "--warmup-lines",
            "0",
            "--repeat",
            "1",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = LabJson.read(run.out());
    assertThat(json.has("limit")).isTrue();
    assertThat(json.get("job").get("n").asLong()).isEqualTo(60_000);
    assertThat(ExactSums.of(json.get("job-page"))).isEqualTo(ExactSums.of(json.get("limit")));
    assertThat(json.get("job-page").get("batches").asLong()).isPositive(); // it read, itself
    assertThat(json.get("job").get("ratio_to_job_page").asDouble()).isPositive();
    assertThat(run.err()).containsPattern("job-page: its page read [1-9][0-9,]* events");
    assertThat(ExactSums.of(json.get("job-ops"))).isEqualTo(ExactSums.of(json.get("limit")));
    assertThat(json.get("job").get("ratio_to_job_ops").asDouble()).isPositive();
    assertThat(run.err()).containsPattern("job-ops: its /metrics scraped [1-9][0-9,]* times");
    assertThat(json.has("kafka-streams")).isFalse();
    assertThat(json.has("published")).isFalse();

    CommandRun noLimit = CommandRun.of("", "bench", "variance", "--phases", "job,published");
    assertThat(noLimit.exitCode()).isEqualTo(2);
    assertThat(noLimit.err()).contains("--phases must include limit and job");
    CommandRun unknown = CommandRun.of("", "bench", "variance", "--phases", "limit,job,flink");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("no phase 'flink' (there are limit, job, job-page, job-ops, kafka-streams");
  }

  @Test
  void capacityIsAModeOfItsOwn() {
    CommandRun run =
        CommandRun.of("", "bench", "variance", "--capacity", "--max-rate-per-partition", "1000/s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--capacity sets --max-rate-per-partition itself");
  }

  @Test
  void aMaximumRatePerPartitionSpreadsABacklogOverBatchesThatEachHoldAtMostTheirShare()
      throws Exception {
    CommandRun run =
        CommandRun.of(
            "",
            "bench",
            "variance",
            "--lines",
            "12000",
            "--numbers-per-line",
            "2",
            "--partitions",
            "2",
            "--warmup-lines",
            "0",
            "--max-rate-per-partition",
            "1000/s",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode job = LabJson.read(run.out()).get("job");
    assertThat(job.get("n").asLong()).isEqualTo(24_000);
    // 2 partitions × 1,000 lines/s × 1 s: at most 2,000 of the 12,000 lines a batch.
    assertThat(job.get("batches").asLong()).isGreaterThanOrEqualTo(6);
  }
}
