package dev.streamlab.jobs;

import static dev.streamlab.jobs.JobTestSupport.awaitUntil;
import static dev.streamlab.testkit.Feeds.savedLines;
import static dev.streamlab.testkit.Feeds.serveInBackground;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.feed.DirectoryDropper;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.producer.feed.RsvpGenerator;
import dev.streamlab.testkit.HostileLines;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The RSVP jobs on a real watched directory and a real socket, Spark in local[2]. */
class VenueJobsTest {

  private static final List<String> NOT_RSVPS =
      List.of(
          "HTTP/1.1 200 OK",
          "Content-Type: application/json",
          "",
          "{\"venue\":{\"venue_name\":\"Galvan", // truncated
          "[\"not\",\"an\",\"object\"]");

  @TempDir Path dir;

  private JavaStreamingContext context;
  @RegisterExtension final TestSinks sinks = new TestSinks();

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop(true, false);
    }
  }

  @Test
  void venuesPrintedAndSavedAreThoseOfTheGeneratedRsvps() throws Exception {
    List<VenueReport> reports = new CopyOnWriteArrayList<>();
    ReportSink<VenueReport> sink = sinks.into(VenueReport.class, reports);
    RsvpGenerator generator = new RsvpGenerator(5);
    List<RsvpGenerator.Rsvp> rsvps = Stream.generate(generator::next).limit(400).toList();
    List<String> truth =
        rsvps.stream().map(RsvpGenerator.Rsvp::venueJson).filter(Objects::nonNull).toList();
    List<String> first = new ArrayList<>(NOT_RSVPS);
    rsvps.subList(0, 250).forEach(rsvp -> first.add(rsvp.json()));
    List<String> second = rsvps.subList(250, 400).stream().map(RsvpGenerator.Rsvp::json).toList();
    Path watched = Files.createDirectories(dir.resolve("watched"));
    String prefix = dir.resolve("saved/venues").toString();

    context = newContext();
    VenuesJob.pipeline(LineStreams.directory(context, watched), sink, prefix);
    context.start();
    TimeUnit.MILLISECONDS.sleep(1500); // files present before the start are not read
    DirectoryDropper dropper = new DirectoryDropper(watched);
    dropper.drop(Files.write(dir.resolve("first.json"), first));
    dropper.drop(Files.write(dir.resolve("second.json"), second));
    awaitUntil(() -> total(reports).lines() >= first.size() + second.size());
    context.stop(true, true);
    context = null;

    assertThat(total(reports)).isEqualTo(new VenueCounts(405, 400, truth.size(), 5));
    assertThat(reports.stream().flatMap(report -> report.venues().stream()))
        .containsExactlyInAnyOrderElementsOf(truth);
    assertThat(savedLines(dir.resolve("saved"))).containsExactlyInAnyOrderElementsOf(truth);
  }

  @Test
  void hostileLinesAreSkippedAndCountedAndEveryRsvpIsRead() throws Exception {
    List<VenueReport> reports = new CopyOnWriteArrayList<>();
    ReportSink<VenueReport> sink = sinks.into(VenueReport.class, reports);
    HostileLines.RsvpLines hostile = HostileLines.rsvps(13, 500);
    Path file = dir.resolve("hostile.json");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (byte[] line : hostile.lines()) {
        out.write(line);
        out.write('\n');
      }
    }
    Path watched = Files.createDirectories(dir.resolve("watched"));

    context = newContext();
    VenuesJob.pipeline(LineStreams.directory(context, watched), sink, null);
    context.start();
    TimeUnit.MILLISECONDS.sleep(1500); // files present before the start are not read
    new DirectoryDropper(watched).drop(file);
    awaitUntil(() -> total(reports).lines() >= hostile.lines().size());
    context.stop(true, true);
    context = null;

    assertThat(total(reports))
        .isEqualTo(
            new VenueCounts(
                hostile.lines().size(), hostile.rsvps(), hostile.withVenue(), hostile.skipped()));
    assertThat(hostile.skipped()).isGreaterThan(100);
  }

  @Test
  void theWindowCountIsTheSumOfTheBatchCountsItCovers() throws Exception {
    List<WindowCountReport> reports = new CopyOnWriteArrayList<>();
    ReportSink<WindowCountReport> sink = sinks.into(WindowCountReport.class, reports);
    RsvpGenerator generator = new RsvpGenerator(6);
    List<RsvpGenerator.Rsvp> rsvps = Stream.generate(generator::next).limit(150).toList();
    long venues = rsvps.stream().filter(rsvp -> rsvp.venueJson() != null).count();
    List<String> lines = new ArrayList<>(NOT_RSVPS);
    rsvps.forEach(rsvp -> lines.add(rsvp.json()));

    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      context = newContext();
      context.checkpoint(dir.resolve("checkpoint").toString());
      WindowCountJob.pipeline(
          LineStreams.socket(context, "127.0.0.1", server.port()),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          sink);
      context.start();
      Thread serving = serveInBackground(server, lines.iterator(), 50, StopSignal.trap());
      awaitUntil(
          () -> batches(reports).values().stream().mapToLong(b -> b.lines()).sum() >= lines.size());
      TimeUnit.SECONDS.sleep(4); // and the window slides past the last data
      serving.join(1_000);
    }

    assertThat(reports).hasSizeGreaterThan(5);
    for (WindowCountReport report : reports) {
      assertThat(report.lines()).as("%s", report).isEqualTo(report.batchLinesSum());
      assertThat(report.venues()).as("%s", report).isEqualTo(report.batchVenuesSum());
      assertThat(report.batches())
          .as("%s", report)
          .hasSizeLessThanOrEqualTo(3)
          .allSatisfy(
              batch ->
                  assertThat(batch.timeMillis())
                      .isBetween(report.timeMillis() - 2_000, report.timeMillis()));
    }
    Map<Long, WindowCountReport.BatchCount> batches = batches(reports);
    assertThat(batches.values().stream().mapToLong(WindowCountReport.BatchCount::lines).sum())
        .isEqualTo(lines.size());
    assertThat(batches.values().stream().mapToLong(WindowCountReport.BatchCount::venues).sum())
        .isEqualTo(venues);
    assertThat(reports.get(reports.size() - 1).lines()).isZero(); // the data left the window
  }

  @Test
  void aGracefulStopWithACheckpointCountsEveryLineReceivedBeforeIt() throws Exception {
    List<WindowCountReport> reports = new CopyOnWriteArrayList<>();
    ReportSink<WindowCountReport> sink = sinks.into(WindowCountReport.class, reports);
    java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
    java.util.Iterator<String> endless =
        Stream.generate(() -> "line " + taken.incrementAndGet()).iterator();

    long sentAtStop;
    try (LineServer server = new LineServer("127.0.0.1", 0)) {
      context = newContext();
      context.checkpoint(dir.resolve("checkpoint").toString());
      WindowCountJob.pipeline(
          LineStreams.socket(context, "127.0.0.1", server.port()),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          sink);
      context.start();
      StopSignal serverStop = StopSignal.trap();
      Thread serving = serveInBackground(server, endless, 40, serverStop);
      awaitUntil(() -> taken.get() > 100);
      sentAtStop = taken.get();
      // Lines keep coming while the receiver stops: those it stored before must all be counted.
      context.stop(true, true);
      context = null;
      serverStop.request();
      serving.join(2_000);
    }

    long counted =
        batches(reports).values().stream().mapToLong(WindowCountReport.BatchCount::lines).sum();
    assertThat(counted).isGreaterThanOrEqualTo(sentAtStop - 3);
  }

  /** Every batch once, by its time. */
  private static Map<Long, WindowCountReport.BatchCount> batches(List<WindowCountReport> reports) {
    return reports.stream()
        .flatMap(report -> report.batches().stream())
        .collect(
            Collectors.toMap(
                WindowCountReport.BatchCount::timeMillis,
                Function.identity(),
                (a, b) -> {
                  assertThat(a).isEqualTo(b); // a batch counts the same in every window
                  return a;
                },
                TreeMap::new));
  }

  private static VenueCounts total(List<VenueReport> reports) {
    return reports.stream().map(VenueReport::counts).reduce(VenueCounts.ZERO, VenueCounts::plus);
  }

  private static JavaStreamingContext newContext() {
    return new JavaStreamingContext(
        SparkSettings.conf("venue-jobs-test", "local[2]"), Durations.seconds(1));
  }
}
