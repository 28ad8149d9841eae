package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.testkit.EmbeddedKafka;
import dev.streamlab.testkit.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The live page of {@code run --ui} in a real headless browser: what it shows is what the job
 * printed, after several updates pushed to it, how far behind a capped job is until it catches up,
 * and it says when the job has stopped. Each test keeps a screenshot of the page under {@code
 * target/live-page/}, the README's pictures.
 *
 * <p>Needs Debian's {@code chromium}; without it these tests are skipped and say why.
 */
class LivePageIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Path SCREENSHOTS = Path.of("target", "live-page");
  private static final Pattern URL = Pattern.compile("Live page at (http://127\\.0\\.0\\.1:\\d+/)");

  /** Reads, in one evaluation, what the page shows of its latest report. */
  private static final String SHOWN =
      "({updates: Number(document.getElementById('updates').textContent.replace(/,/g, '')),"
          + " time: document.getElementById('report-time').textContent,"
          + " status: document.getElementById('status').textContent,"
          + " %s})";

  @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();

  @TempDir Path dir;

  @BeforeAll
  static void browser() {
    String missing = HeadlessChromium.missing();
    assumeTrue(missing == null, missing);
  }

  @Test
  void theVariancePageShowsTheNOfTheJsonReportOfTheSameTimeAfterSeveralUpdates() throws Exception {
    try (JobProcess job =
            JobProcess.labCli(dir, "run", "variance", "--ui", "0", "--format", "json");
        HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"))) {
      HeadlessChromium.Tab tab = chromium.open(pageOf(job), 1280, 900);
      JsonNode shown =
          tab.await(
              SHOWN.formatted(
                  "n: Number(document.getElementById('n').textContent.replace(/,/g, '')),"
                      + " lagShown: !document.getElementById('lag').hidden,"
                      + " lag: [...document.querySelectorAll('#lag-partitions td')]"
                      + ".map(cell => cell.textContent.replace(/,/g, ''))"),
              page -> page.get("updates").asInt() >= 4,
              START);

      JsonNode printed = reportAt(job, shown.get("time").asText());
      assertThat(shown.get("status").asText()).isEqualTo("live");
      assertThat(printed.get("n").asLong()).isPositive();
      assertThat(shown.get("n").asLong()).isEqualTo(printed.get("n").asLong());
      // How far behind, per partition, as the report of the same time says.
      JsonNode partition = printed.get("lag").get("partitions").get(0);
      assertThat(shown.get("lagShown").asBoolean()).isTrue();
      assertThat(shown.get("lag"))
          .extracting(JsonNode::asText)
          .containsExactly(
              "variance-0",
              partition.get("next_offset").asText(),
              partition.get("last_stable_offset").asText(),
              partition.get("log_end_offset").asText(),
              partition.get("records_behind").asText(),
              partition.get("held_back").asText());
      // Offline: everything the page loaded came from the job itself, no CDN.
      assertThat(
              tab.evaluate(
                      "performance.getEntriesByType('resource')"
                          + ".every(entry => entry.name.startsWith(location.origin))")
                  .asBoolean())
          .isTrue();
      assertThat(tab.evaluate("typeof uPlot").asText()).isEqualTo("function");
      tab.screenshot(SCREENSHOTS.resolve("variance.png"));

      job.signal("INT");
      assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.err()).isZero();
      tab.await(
          "document.getElementById('status').textContent",
          status -> status.asText().equals("stopped"),
          Duration.ofSeconds(30));
    }
  }

  @Test
  void theLagOfACappedJobOverABacklogFallsToZeroOnThePage() throws Exception {
    kafka.createTopic("backlog", 1);
    Topics.send(
        kafka.bootstrapServers(),
        "backlog",
        Collections.nCopies(3000, "1 2").toArray(String[]::new));
    String behind =
        "behind: Number(document.querySelectorAll('#lag-partitions td')[4]?.textContent"
            + ".replace(/,/g, '') ?? -1)";
    try (JobProcess job =
            JobProcess.labCli(
                dir,
                "run",
                "variance",
                "--bootstrap-server",
                kafka.bootstrapServers(),
                "--topic",
                "backlog",
                "--max-rate-per-partition",
                "100/s",
                "--window",
                "1s",
                "--slide",
                "1s",
                "--format",
                "json",
                "--ui",
                "0");
        HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"))) {
      HeadlessChromium.Tab tab = chromium.open(pageOf(job), 1280, 900);

      JsonNode lagging =
          tab.await(SHOWN.formatted(behind), page -> page.get("behind").asLong() > 0, START);
      JsonNode caughtUp =
          tab.await(
              SHOWN.formatted(behind),
              page -> page.get("behind").asLong() == 0,
              Duration.ofSeconds(90));

      // Each as the report of the same time says; caught up, every record counted once.
      assertThat(reportAt(job, lagging.get("time").asText()).get("lag").get("records_behind"))
          .isEqualTo(lagging.get("behind"));
      assertThat(caughtUp.get("updates").asInt()).isGreaterThan(lagging.get("updates").asInt());
      JsonNode last = reportAt(job, caughtUp.get("time").asText());
      assertThat(last.get("lag").get("records_behind").asLong()).isZero();
      assertThat(last.get("n").asLong()).isEqualTo(6000);
      tab.screenshot(SCREENSHOTS.resolve("variance-lag.png"));

      job.signal("INT");
      assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.err()).isZero();
    }
  }

  @Test
  void theWindowCountPageShowsTheWindowAndTheBatchesItAddsUp() throws Exception {
    try (JobProcess job =
            JobProcess.labCli(
                dir,
                "run",
                "window-count",
                "--batch",
                "1s",
                "--window",
                "3s",
                "--slide",
                "1s",
                "--ui",
                "0",
                "--format",
                "json");
        HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"))) {
      HeadlessChromium.Tab tab = chromium.open(pageOf(job), 1280, 900);
      JsonNode shown =
          tab.await(
              SHOWN.formatted(
                  "lines: document.getElementById('window-lines').textContent,"
                      + " sum: document.getElementById('window-sum').textContent"),
              page -> page.get("updates").asInt() >= 5,
              START);

      JsonNode printed = reportAt(job, shown.get("time").asText());
      long lines = printed.get("window").get("lines").asLong();
      List<String> batches = printed.get("window_batches").findValuesAsText("lines");
      assertThat(lines).isPositive();
      assertThat(shown.get("lines").asText().replace(",", "")).isEqualTo(Long.toString(lines));
      assertThat(shown.get("sum").asText().replace(",", ""))
          .isEqualTo(
              lines
                  + " lines"
                  + (batches.size() > 1
                      ? batches.stream().collect(Collectors.joining(" + ", " = ", ""))
                      : ""));
      tab.screenshot(SCREENSHOTS.resolve("window-count.png"));
      job.signal("INT");
      assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.err()).isZero();
    }
  }

  /**
   * The other jobs' pages: each shows its own view, and a figure that adds up what the job printed
   * until the report the page shows last: the lines or RSVPs of every batch, or the running total
   * of words.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "uppercase, view-lines, lines-total, lines",
    "long-words, view-lines, lines-total, lines",
    "venues, view-venues, rsvps, rsvps",
    "word-count, view-word-count, words, words"
  })
  void theLabJobsPagesShowWhatTheyPrinted(String name, String view, String figure, String field)
      throws Exception {
    try (JobProcess job =
            JobProcess.labCli(dir, "run", name, "--batch", "1s", "--ui", "0", "--format", "json");
        HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"))) {
      HeadlessChromium.Tab tab = chromium.open(pageOf(job), 1280, 900);
      JsonNode shown =
          tab.await(
              SHOWN.formatted(
                  "figure: document.getElementById('%s').textContent,".formatted(figure)
                      + " view: document.querySelector('section.view:not([hidden])').id"),
              page ->
                  page.get("updates").asInt() >= 2
                      && page.get("figure").asText().matches("[1-9][0-9,]*"), // data, not a header
              START);

      assertThat(shown.get("view").asText()).isEqualTo(view);
      String time = shown.get("time").asText();
      reportAt(job, time);
      long expected = 0;
      for (String line : job.outLines()) {
        JsonNode printed = LabJson.read(line).get(field);
        long count = printed.isArray() ? printed.size() : printed.asLong();
        expected = name.equals("word-count") ? count : expected + count;
        if (line.contains("\"time\":\"" + time + "\"")) {
          break;
        }
      }
      assertThat(expected).isPositive();
      assertThat(shown.get("figure").asText().replace(",", "")).isEqualTo(Long.toString(expected));
      tab.screenshot(SCREENSHOTS.resolve(name + ".png"));
      job.signal("INT");
      assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.err()).isZero();
    }
  }

  /** The page's address, once the job has printed it. */
  private static URI pageOf(JobProcess job) throws InterruptedException {
    job.awaitErr("Live page at ", START);
    Matcher url = URL.matcher(job.err());
    assertThat(url.find()).as(job.err()).isTrue();
    return URI.create(url.group(1));
  }

  /** The JSON report the job printed for batch time {@code time}. */
  private static JsonNode reportAt(JobProcess job, String time) throws InterruptedException {
    String line =
        job.awaitLine(
            printed ->
                printed.startsWith("{") && LabJson.read(printed).path("time").asText().equals(time),
            Duration.ofSeconds(30));
    return LabJson.read(line);
  }
}
