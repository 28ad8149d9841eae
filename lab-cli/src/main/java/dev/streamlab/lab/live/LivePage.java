package dev.streamlab.lab.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamlab.lab.print.LabJson;
import dev.streamlab.lab.print.Printed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live page of a running job ({@code run … --ui}): one HTML page that draws the job's reports
 * and batches as they come, pushed to it by Server-Sent Events ({@code /events}), with its chart
 * library (uPlot, from its WebJar) served from the class path, so it works offline.
 *
 * <p>Each event is a JSON object with a {@code type}: {@code job} first (the job's name and batch
 * interval), {@code source} once the job knows what it reads, then {@code report} (a {@link
 * Printed} report) and {@code batch} ({@link BatchEvents}) as they happen, and {@code end} when the
 * job has stopped. A page that connects late gets the events so far first, the latest {@value
 * PageEvents#HISTORY} of each type, so its charts start at the job's start; publishing never waits
 * for a page ({@link PageEvents}). The server's threads are daemons.
 */
public final class LivePage implements AutoCloseable {

  private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
  private static final String WEBJAR_VERSION =
      "META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final String PAGE = "/dev/streamlab/lab/live/";
  private static final Map<String, String> TYPES =
      Map.of("html", "text/html", "js", "text/javascript", "css", "text/css");
  private static final Set<String> FILES = Set.of("index.html", "live.js", "live.css");
  private static final String TOKEN = "token";
  private static final String COOKIE = "streamlab_live_token";

  private final HttpServer server;
  private final ExecutorService threads;
  private final String uplot;
  private final PageEvents events;
  private final String token; // null on loopback
  private final boolean pageServed; // false: /metrics only
  private final JobMetrics metrics = new JobMetrics();

  private LivePage(
      HttpServer server,
      ExecutorService threads,
      String uplot,
      PageEvents events,
      String token,
      boolean pageServed) {
    this.server = server;
    this.threads = threads;
    this.uplot = uplot;
    this.events = events;
    this.token = token;
    this.pageServed = pageServed;
  }

  /**
   * Serves the page of the job named {@code name} on {@code host}:{@code port} (0: a free port).
   *
   * @param batchMillis the job's batch interval, drawn beside the batches' processing times
   * @throws IllegalStateException when the port is taken, or the address is not this machine's
   */
  public static LivePage start(String host, int port, String name, long batchMillis) {
    return start(host, port, name, batchMillis, true, "--ui");
  }

  /**
   * Serves the job's {@code /metrics} alone on {@code host}:{@code port} (0: a free port), with the
   * page's rules for hosts and tokens, but no page.
   *
   * @throws IllegalStateException when the port is taken, or the address is not this machine's
   */
  public static LivePage startMetrics(String host, int port, String name) {
    return start(host, port, name, 0, false, "--metrics");
  }

  private static LivePage start(
      String host, int port, String name, long batchMillis, boolean pageServed, String option) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      String what = "the live page cannot listen on " + host + ":" + port + " (" + e.getMessage();
      throw new IllegalStateException(
          e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
              ? what + "): give " + option + " another port, or " + option + " 0 for a free one"
              : what + "): is " + host + " an address of this machine? (--host)",
          e);
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "lab-cli-live-page-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    PageEvents events =
        new PageEvents(
            LabJson.write(
                LabJson.object().put("type", "job").put("job", name).put("batch_ms", batchMillis)));
    LivePage page =
        new LivePage(
            server,
            threads,
            uplotDirectory(),
            events,
            server.getAddress().getAddress().isLoopbackAddress() ? null : newToken(),
            pageServed);
    server.setExecutor(threads);
    server.createContext("/", page::serve);
    server.start();
    return page;
  }

  /**
   * The page's address, {@code http://host:port/}; off loopback with its token, {@code
   * http://host:port/?token=…}, and on every address ({@code --host 0.0.0.0}) by this machine's
   * name.
   */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    if (address.getAddress().isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        // The wildcard address, then: the user knows the machine's name.
      }
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(
        "http://"
            + host
            + ":"
            + address.getPort()
            + "/"
            + (token != null ? "?" + TOKEN + "=" + token : ""));
  }

  /** Whether the page asks for its token: it listens off loopback. */
  public boolean needsToken() {
    return token != null;
  }

  /**
   * Names the job's source ({@code "Kafka topic variance at …"}); {@code countsRecords} says
   * whether Spark counts the records of its batches, which it does not for a directory's files.
   */
  public void source(String description, boolean countsRecords) {
    events.source(
        LabJson.write(
            LabJson.object()
                .put("type", "source")
                .put("source", description)
                .put("counts_records", countsRecords)));
  }

  /**
   * Sends {@code report} to the pages and the metrics: a report the job printed. A report of an
   * earlier run, made again when this one resumed its state, is not shown: the page shows this
   * run's batches.
   */
  public void report(Printed report) {
    if (report.kind() == Printed.Kind.RESUMED) {
      return;
    }
    metrics.report(report);
    ObjectNode event =
        LabJson.object()
            .put("type", "report")
            .put("time", report.timeMillis())
            .put("last", report.last())
            .put("text", report.text());
    event.set("report", report.json());
    events.report(LabJson.write(event));
  }

  /** Sends {@code batch} to the pages and the metrics: one completed batch. */
  void batch(ObjectNode batch) {
    if (batch.has("processing_ms") && batch.has("scheduling_delay_ms")) {
      metrics.batch(batch.get("processing_ms").asLong(), batch.get("scheduling_delay_ms").asLong());
    }
    events.batch(LabJson.write(batch.put("type", "batch")));
  }

  /** Tells the pages that the job has stopped, and stops serving after a moment to say so. */
  @Override
  public void close() {
    events.end();
    server.stop(1); // seconds: the streams' last events go out first
    threads.shutdownNow();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
      } else if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, 403, "text/plain", "unknown host\n".getBytes(StandardCharsets.UTF_8));
      } else if (!tokenGiven(exchange)) {
        send(
            exchange,
            403,
            "text/plain",
            ("this page needs its token: open the address lab-cli printed at its start"
                    + " (…/?token=…)\n")
                .getBytes(StandardCharsets.UTF_8));
      } else if (token != null && "/".equals(path) && query(exchange).containsKey(TOKEN)) {
        // The token goes into a cookie, and out of the address bar (and the browser's history).
        exchange
            .getResponseHeaders()
            .set(
                "Set-Cookie",
                COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800");
        exchange.getResponseHeaders().set("Location", "/");
        send(exchange, 303, "text/plain", new byte[0]);
      } else if ("/metrics".equals(path)) {
        exchange.getResponseHeaders().set("Content-Type", JobMetrics.CONTENT_TYPE);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        metrics.write(exchange.getResponseBody());
      } else if (!pageServed) {
        send(exchange, 404, "text/plain", "only /metrics here\n".getBytes(StandardCharsets.UTF_8));
      } else if ("/events".equals(path)) {
        stream(exchange);
      } else if ("/".equals(path)) {
        file(exchange, PAGE + "index.html");
      } else if (FILES.contains(path.substring(1))) {
        file(exchange, PAGE + path.substring(1));
      } else if (path.equals("/uplot/uPlot.iife.min.js") || path.equals("/uplot/uPlot.min.css")) {
        file(exchange, "/" + uplot + "dist/" + path.substring("/uplot/".length()));
      } else {
        send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Whether the request carries the page's token, where it needs one: in the query ({@code
   * ?token=…}), the cookie the page sets, or {@code Authorization: Bearer …} (for a program).
   */
  private boolean tokenGiven(HttpExchange exchange) {
    if (token == null) {
      return true;
    }
    String given = query(exchange).get(TOKEN);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null && authorization != null && authorization.startsWith("Bearer ")) {
      given = authorization.substring("Bearer ".length()).strip();
    }
    if (given == null) {
      given = cookie(exchange);
    }
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    Map<String, String> parameters = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          parameters.put(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return parameters;
  }

  private static String cookie(HttpExchange exchange) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String pair : header.split(";")) {
        String trimmed = pair.strip();
        if (trimmed.startsWith(COOKIE + "=")) {
          return trimmed.substring(COOKIE.length() + 1);
        }
      }
    }
    return null;
  }

  /** 128 random bits, URL-safe Base64. */
  private static String newToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Whether a request naming {@code host} is served. On loopback, only when it names this machine
   * (127.0.0.1, localhost, [::1]): a web page elsewhere whose name was made to resolve to 127.0.0.1
   * (DNS rebinding) would otherwise read the job's page from the user's browser. On an address
   * given with --host, any.
   */
  private boolean hostAllowed(String host) {
    if (!server.getAddress().getAddress().isLoopbackAddress()) {
      return true;
    }
    if (host == null) {
      return false;
    }
    int port = server.getAddress().getPort();
    return Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)
        .contains(host.toLowerCase(Locale.ROOT));
  }

  private void file(HttpExchange exchange, String resource) throws IOException {
    byte[] body;
    try (InputStream in = LivePage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the live page's " + resource + " is not in the jar");
      }
      body = in.readAllBytes();
    }
    String extension = resource.substring(resource.lastIndexOf('.') + 1);
    send(exchange, 200, TYPES.get(extension) + "; charset=utf-8", body);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** The event stream of one page: the events so far, then each as it comes, until the end. */
  private void stream(HttpExchange exchange) throws IOException {
    PageEvents.Subscription subscription = events.subscribe();
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0); // chunked: it lasts as long as the job
    OutputStream body = exchange.getResponseBody();
    try {
      for (String event : subscription.first()) {
        write(body, event);
      }
      body.flush();
      BlockingQueue<String> queue = subscription.queue();
      while (queue != null) {
        String event = queue.poll(15, TimeUnit.SECONDS);
        if (event == null) {
          body.write(": still here\n\n".getBytes(StandardCharsets.UTF_8)); // finds a closed page
        } else if (event.equals(PageEvents.END_OF_QUEUE)) {
          break;
        } else {
          write(body, event);
        }
        body.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server stops
    } catch (IOException e) {
      // the page went away: forget it
    } finally {
      events.unsubscribe(subscription.queue());
    }
  }

  private static void write(OutputStream body, String event) throws IOException {
    body.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  /** {@code META-INF/resources/webjars/uplot/VERSION/}, from the WebJar's own Maven metadata. */
  private static String uplotDirectory() {
    Properties properties = new Properties();
    try (InputStream in = LivePage.class.getResourceAsStream("/" + WEBJAR_VERSION)) {
      if (in == null) {
        throw new IllegalStateException("uPlot's WebJar is not on the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return WEBJAR + properties.getProperty("version") + "/";
  }
}
