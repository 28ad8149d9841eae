package dev.streamlab.lab.bench;

import dev.streamlab.lab.print.LabJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A page attached to a live page's event stream, as a browser's is: it reads every event and parses
 * its JSON, in a thread of its own, until the stream ends or it is closed.
 */
final class PageReader implements AutoCloseable {

  private final InputStream body;
  private final Thread thread;
  private final AtomicLong events = new AtomicLong();

  private PageReader(InputStream body) {
    this.body = body;
    this.thread = new Thread(this::read, "lab-cli-bench-page");
    thread.setDaemon(true);
    thread.start();
  }

  /** Connects to the events of the page at {@code page}. */
  static PageReader open(URI page) throws InterruptedException {
    try {
      return new PageReader(
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(page.resolve("/events")).build(),
                  HttpResponse.BodyHandlers.ofInputStream())
              .body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the live page at " + page, e);
    }
  }

  /** How many events it has read. */
  long events() {
    return events.get();
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data: ")) {
          LabJson.read(line.substring("data: ".length()));
          events.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() {
    try {
      body.close();
      thread.join(5_000);
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the reader is a daemon: it ends with the stream
    }
  }
}
