package dev.streamlab.lab.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus, as far as a job can tell: a GET of its {@code /metrics} every second, read whole. */
final class MetricsScraper implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "lab-cli-bench-scraper");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicLong scrapes = new AtomicLong();
  private final URI metrics;

  private MetricsScraper(URI metrics) {
    this.metrics = metrics;
  }

  /** Scrapes {@code metrics} now and every second after. */
  static MetricsScraper everySecond(URI metrics) {
    MetricsScraper scraper = new MetricsScraper(metrics);
    scraper.timer.scheduleAtFixedRate(scraper::scrape, 0, 1, TimeUnit.SECONDS);
    return scraper;
  }

  private void scrape() {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && !response.body().isEmpty()) {
        scrapes.incrementAndGet();
      }
    } catch (IOException e) {
      // not counted: the next second tries again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many scrapes got the metrics. */
  long scrapes() {
    return scrapes.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
