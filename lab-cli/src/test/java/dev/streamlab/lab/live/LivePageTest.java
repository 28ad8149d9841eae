package dev.streamlab.lab.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live page's server: its files, and its event stream over real HTTP. */
class LivePageTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private LivePage page;

  @AfterEach
  void stop() {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void servesThePageItsScriptAndUplotFromTheClassPathOnLoopback() throws Exception {
    page = LivePage.start("127.0.0.1", 0, "variance", 1000);

    assertThat(page.url().getHost()).isEqualTo("127.0.0.1");
    HttpResponse<String> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).contains("/uplot/uPlot.iife.min.js").contains("/live.js");
    assertThat(get("/live.js").body()).contains("new EventSource('/events')");
    HttpResponse<String> uplot = get("/uplot/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/uplot/package.json").statusCode()).isEqualTo(404);
    assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
  }

  @Test
  void aPageGetsTheJobThenTheEventsSoFarThenEachAsItComesThenTheEnd() throws Exception {
    page = LivePage.start("127.0.0.1", 0, "variance", 2000);
    page.source("Kafka topic variance at 127.0.0.1:9092", true);
    page.report(report(1_000, 6));
    page.batch(LabJson.object().put("time", 1_000).put("records", 1));

    try (Events events = new Events(page.url())) {
      JsonNode job = events.next();
      assertThat(job.get("type").asText()).isEqualTo("job");
      assertThat(job.get("job").asText()).isEqualTo("variance");
      assertThat(job.get("batch_ms").asLong()).isEqualTo(2000);
      JsonNode source = events.next();
      assertThat(source.get("type").asText()).isEqualTo("source");
      assertThat(source.get("source").asText()).isEqualTo("Kafka topic variance at 127.0.0.1:9092");
      JsonNode batch = events.next();
      assertThat(batch.get("type").asText()).isEqualTo("batch");
      assertThat(batch.get("records").asLong()).isEqualTo(1);
      JsonNode first = events.next();
      assertThat(first.get("type").asText()).isEqualTo("report");
      assertThat(first.get("report").get("n").asLong()).isEqualTo(6);
      assertThat(first.get("text").asText()).isEqualTo("n: 6\n");

      page.report(report(2_000, 12)); // after the page connected: pushed to it
      JsonNode second = events.next();
      assertThat(second.get("time").asLong()).isEqualTo(2_000);
      assertThat(second.get("report").get("n").asLong()).isEqualTo(12);

      page.close();
      assertThat(events.next().get("type").asText()).isEqualTo("end");
      assertThat(events.ended()).isTrue();
    }
  }

  @Test
  void aPageThatComesLateGetsTheHistoryOfEachTypeUpToItsBound() throws Exception {
    page = LivePage.start("127.0.0.1", 0, "variance", 1000);
    int reports = PageEvents.HISTORY + 5;
    for (int i = 1; i <= reports; i++) {
      page.report(report(i * 1000L, i));
    }
    try (Events events = new Events(page.url())) {
      events.next(); // the job
      List<Long> counts = new ArrayList<>();
      for (int i = 0; i < PageEvents.HISTORY; i++) {
        counts.add(events.next().get("report").get("n").asLong());
      }
      assertThat(counts).startsWith(6L).endsWith((long) reports).doesNotHaveDuplicates();
    }
  }

  @Test
  void onLoopbackARequestForAnotherHostIsRefused() throws Exception {
    page = LivePage.start("127.0.0.1", 0, "variance", 1000);
    int port = page.url().getPort();

    assertThat(statusFor("127.0.0.1:" + port)).isEqualTo(200);
    assertThat(statusFor("localhost:" + port)).isEqualTo(200);
    // A name rebound to 127.0.0.1 by someone else's DNS: its pages must not read this one.
    assertThat(statusFor("attacker.example:" + port)).isEqualTo(403);
  }

  @Test
  void offLoopbackThePageAsksForTheTokenItsAddressCarries() throws Exception {
    page = LivePage.start("0.0.0.0", 0, "variance", 1000); // --host 0.0.0.0, reached on loopback
    assertThat(page.needsToken()).isTrue();
    String token = page.url().getQuery().substring("token=".length());
    assertThat(token).hasSizeGreaterThanOrEqualTo(22);
    URI local = URI.create("http://127.0.0.1:" + page.url().getPort() + "/");
    HttpClient client = HttpClient.newHttpClient();

    for (String path : List.of("", "live.js", "events", "?token=wrong-" + token)) {
      HttpResponse<String> refused =
          client.send(
              HttpRequest.newBuilder(local.resolve(path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(refused.body()).as(path).startsWith("this page needs its token");
    }

    // A browser: the address with the token sets a cookie and drops the token from the address.
    HttpResponse<String> opened =
        client.send(
            HttpRequest.newBuilder(local.resolve("?token=" + token)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(opened.statusCode()).isEqualTo(303);
    assertThat(opened.headers().firstValue("Location")).hasValue("/");
    String cookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(local.resolve("live.js"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    // A program: the token as a bearer.
    HttpResponse<String> program =
        client.send(
            HttpRequest.newBuilder(local).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(program.statusCode()).isEqualTo(200);
    assertThat(program.body()).contains("<html");
  }

  @Test
  void onLoopbackThePageAsksForNoToken() throws Exception {
    page = LivePage.start("127.0.0.1", 0, "variance", 1000);
    assertThat(page.needsToken()).isFalse();
    assertThat(page.url().getQuery()).isNull();
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void aPortInUseOrAnAddressNotOfThisMachineIsOneClearErrorThatSaysWhatToDo() {
    page = LivePage.start("127.0.0.1", 0, "variance", 1000);
    assertThatThrownBy(() -> LivePage.start("127.0.0.1", page.url().getPort(), "variance", 1000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:" + page.url().getPort())
        .hasMessageContaining("--ui 0");
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    assertThatThrownBy(() -> LivePage.start("192.0.2.1", 0, "variance", 1000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the live page cannot listen on 192.0.2.1:0 (")
        .hasMessageEndingWith("is 192.0.2.1 an address of this machine? (--host)");
  }

  /** The status of GET / with the header {@code Host: host}, sent as it is over a socket. */
  private int statusFor(String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", page.url().getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(page.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Printed report(long timeMillis, long n) {
    return new Printed(
        timeMillis, "n: " + n + "\n", LabJson.object().put("n", n), Printed.Kind.BATCH);
  }

  /** The event stream as a browser's EventSource reads it: {@code data:} lines. */
  private static final class Events implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader lines;

    Events(URI page) throws Exception {
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(page.resolve("/events")).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream; charset=utf-8");
      body = response.body();
      lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, within 10 s. */
    JsonNode next() throws Exception {
      String data = nextData();
      assertThat(data).as("an event before the stream ends").isNotNull();
      return LabJson.read(data);
    }

    /** Whether the stream ends, within 10 s, with no event after those read. */
    boolean ended() throws Exception {
      return nextData() == null;
    }

    /** The data of the next event, or null at the end of the stream. */
    private String nextData() throws Exception {
      return CompletableFuture.supplyAsync(
              () -> {
                try {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                      return line.substring("data: ".length());
                    }
                  }
                  return null;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
