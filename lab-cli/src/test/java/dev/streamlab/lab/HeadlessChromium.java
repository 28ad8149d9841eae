package dev.streamlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium} package), driven through the DevTools
 * protocol over its WebSocket with the JDK's own client: open a page, evaluate JavaScript in it,
 * take a screenshot. Started with the flags this machine needs (no sandbox as root, no background
 * networking, which its closed network refuses) and a profile of its own.
 */
final class HeadlessChromium implements AutoCloseable {

  /** Where Debian's package puts it. */
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private final Process process;
  private final List<String> output;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, List<String> output, URI devtools)
      throws InterruptedException {
    this.process = process;
    this.output = output;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(devtools, new Answers())
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
  }

  /** Why the browser tests cannot run here, or null when they can. */
  static String missing() {
    return Files.isExecutable(BINARY)
        ? null
        : BINARY
            + " is not installed: the browser tests need Debian's chromium package (apt-get"
            + " install chromium; .ci/run installs it)";
  }

  /** Starts the browser, its profile in {@code profile}. */
  static HeadlessChromium start(Path profile) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    List<String> output = new ArrayList<>();
    CompletableFuture<URI> devtools = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    devtools.complete(URI.create(listening.group(1)));
                  }
                }
              } catch (IOException e) {
                // the browser stopped
              }
              devtools.completeExceptionally(
                  new IllegalStateException("chromium stopped before it listened: " + output));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new HeadlessChromium(process, output, devtools.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not start: " + output, e);
    }
  }

  /** Opens {@code url} in a new tab of {@code width} × {@code height} CSS pixels. */
  Tab open(URI url, int width, int height) throws Exception {
    String target =
        call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
            .get("targetId")
            .asText();
    String session =
        call(
                null,
                "Target.attachToTarget",
                JSON.createObjectNode().put("targetId", target).put("flatten", true))
            .get("sessionId")
            .asText();
    Tab tab = new Tab(session);
    tab.resize(width, height);
    call(session, "Page.navigate", JSON.createObjectNode().put("url", url.toString()));
    return tab;
  }

  /** One tab, attached to by its DevTools session. */
  final class Tab {
    private final String session;

    private Tab(String session) {
      this.session = session;
    }

    /** The value of {@code expression}, evaluated in the page (a promise is awaited). */
    JsonNode evaluate(String expression) throws Exception {
      JsonNode result =
          call(
              session,
              "Runtime.evaluate",
              JSON.createObjectNode()
                  .put("expression", expression)
                  .put("returnByValue", true)
                  .put("awaitPromise", true));
      if (result.has("exceptionDetails")) {
        throw new IllegalStateException(
            "the page threw on " + expression + ": " + result.get("exceptionDetails"));
      }
      return result.get("result").path("value");
    }

    /**
     * Waits until {@code expression} evaluates to a value that {@code done} accepts, and returns
     * it.
     *
     * @throws IllegalStateException when it has not within {@code timeout}
     */
    JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      JsonNode value;
      do {
        try {
          value = evaluate(expression);
        } catch (IllegalStateException e) {
          value = null; // the page is still loading
        }
        if (value != null && done.test(value)) {
          return value;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      } while (System.nanoTime() < deadline);
      throw new IllegalStateException(
          expression + " was still " + value + " after " + timeout + "; chromium: " + output());
    }

    /** Makes the viewport {@code width} × {@code height} CSS pixels. */
    void resize(int width, int height) throws Exception {
      call(
          session,
          "Emulation.setDeviceMetricsOverride",
          JSON.createObjectNode()
              .put("width", width)
              .put("height", height)
              .put("deviceScaleFactor", 1)
              .put("mobile", false));
    }

    /** Saves the whole page, as tall as its content, as a PNG. */
    void screenshot(Path png) throws Exception {
      int width = evaluate("document.documentElement.clientWidth").asInt();
      int height = evaluate("document.documentElement.scrollHeight").asInt();
      resize(width, height);
      TimeUnit.MILLISECONDS.sleep(500); // the charts redraw at their new size
      String data =
          call(session, "Page.captureScreenshot", JSON.createObjectNode().put("format", "png"))
              .get("data")
              .asText();
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, Base64.getDecoder().decode(data));
    }
  }

  private JsonNode call(String session, String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    if (session != null) {
      message.put("sessionId", session);
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    synchronized (socket) {
      socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    }
    JsonNode reply = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.get("result");
  }

  private String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Hands each answer to the call that waits for it; events are ignored. */
  private final class Answers implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("not a DevTools message: " + text, e);
        } finally {
          text.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }
  }

  /** Closes the browser and waits for it to exit. */
  @Override
  public void close() {
    socket.abort();
    List<ProcessHandle> children = process.descendants().toList(); // its renderers and helpers
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
