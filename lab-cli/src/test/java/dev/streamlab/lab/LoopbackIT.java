package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With default options nothing listens beyond this machine: every TCP and UDP socket that the
 * broker, the socket server and running jobs open is bound to 127.0.0.1. The sockets are those the
 * kernel lists for each process ({@code /proc/PID/fd} and {@code /proc/net/{tcp,udp}{,6}}), so this
 * runs on Linux only.
 */
class LoopbackIT {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dir;

  @BeforeAll
  static void linux() {
    assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "lists sockets through Linux's /proc");
  }

  @Test
  void theVarianceJobAndItsEmbeddedBrokerListenOnLoopbackOnly() throws Exception {
    try (JobProcess job = JobProcess.labCli(dir, "run", "variance", "--format", "json")) {
      job.awaitLine(line -> VarianceRuns.n(line) > 0, START);
      assertOnLoopbackOnly(job, 3); // the broker's two listeners and Spark's driver, at least
      stop(job);
    }
  }

  @Test
  void sparksOwnWebUiServesItsStreamingTabOnLoopbackOnly() throws Exception {
    // As bin/lab-cli starts it: --spark-ui with SPARK_LOCAL_IP=127.0.0.1.
    try (JobProcess job =
        JobProcess.labCli(
            dir,
            Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
            "run",
            "variance",
            "--spark-ui",
            "--format",
            "json")) {
      job.awaitLine(line -> VarianceRuns.n(line) > 0, START);
      HttpResponse<String> streaming =
          get(job, "Spark UI at (http://127\\.0\\.0\\.1:\\d+) ", "/streaming/");
      assertThat(streaming.statusCode()).isEqualTo(200);
      assertThat(streaming.body()).contains("Streaming Statistics");
      assertOnLoopbackOnly(job, 4); // the broker's two listeners, Spark's driver and its UI
      stop(job);
    }
  }

  @Test
  void theLivePageListensOnLoopbackOnly() throws Exception {
    try (JobProcess job =
        JobProcess.labCli(dir, "run", "variance", "--ui", "0", "--format", "json")) {
      job.awaitLine(line -> VarianceRuns.n(line) > 0, START);
      HttpResponse<String> page = get(job, "Live page at (http://127\\.0\\.0\\.1:\\d+)/", "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("/live.js", "lab-cli run");
      assertOnLoopbackOnly(job, 4); // the broker's two listeners, Spark's driver and the page
      stop(job);
    }
  }

  @Test
  void theVenuesJobAndItsSocketFeederListenOnLoopbackOnly() throws Exception {
    try (JobProcess job = JobProcess.labCli(dir, "run", "venues", "--format", "json")) {
      job.awaitLine(line -> line.contains("\"rsvps\":"), START);
      assertOnLoopbackOnly(job, 2); // the RSVP server and Spark's driver, at least
      stop(job);
    }
  }

  @Test
  void theBrokerAndTheSocketServerListenOnLoopbackOnly() throws Exception {
    try (JobProcess broker = JobProcess.producerCli(dir, "broker", "--port", "0");
        JobProcess server = JobProcess.producerCli(dir, "serve", "--port", "0")) {
      broker.awaitLine(line -> line.startsWith("Kafka broker ready at 127.0.0.1:"), START);
      server.awaitErr("Serving lines on 127.0.0.1:", START);
      assertOnLoopbackOnly(broker, 2);
      assertOnLoopbackOnly(server, 1);
      stop(broker);
      stop(server);
    }
  }

  private static void assertOnLoopbackOnly(JobProcess process, int listeningAtLeast)
      throws IOException {
    List<Socket> sockets = socketsOf(process.pid());
    assertThat(sockets.stream().filter(Socket::listening).count())
        .as("listening sockets of %s", sockets)
        .isGreaterThanOrEqualTo(listeningAtLeast);
    assertThat(sockets)
        .allSatisfy(
            socket ->
                assertThat(socket.local().getHostAddress())
                    .as("%s", socket)
                    .isEqualTo("127.0.0.1"));
  }

  /** GET {@code path} of the address that {@code printed} (its group 1) finds on stderr. */
  private static HttpResponse<String> get(JobProcess job, String printed, String path)
      throws Exception {
    Matcher url = Pattern.compile(printed).matcher(job.err());
    assertThat(url.find()).as(job.err()).isTrue();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url.group(1) + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static void stop(JobProcess process) throws Exception {
    process.signal("TERM");
    assertThat(process.awaitExit(Duration.ofSeconds(30))).as(process.err()).isZero();
  }

  /** A socket as the kernel lists it. */
  record Socket(String table, InetAddress local, int port, boolean listening) {}

  /** The TCP and UDP sockets open in process {@code pid}. */
  static List<Socket> socketsOf(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor went away between the listing and the read.
        }
      }
    }
    Map<String, Socket> byInode = new HashMap<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path file = Path.of("/proc/net", table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> rows = Files.readAllLines(file);
      for (String row : rows.subList(1, rows.size())) {
        String[] fields = row.trim().split("\\s+");
        String[] local = fields[1].split(":");
        boolean listening = table.startsWith("tcp") && fields[3].equals("0A");
        byInode.put(
            fields[9],
            new Socket(table, address(local[0]), Integer.parseInt(local[1], 16), listening));
      }
    }
    List<Socket> sockets = new ArrayList<>();
    for (String inode : inodes) {
      Socket socket = byInode.get(inode);
      if (socket != null) { // not TCP or UDP: a Unix socket, say
        sockets.add(socket);
      }
    }
    return sockets;
  }

  /** An address of /proc/net: 32-bit words in hex, each in the machine's (little-endian) order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = (word * 4 + 3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes); // ::ffff:127.0.0.1 comes back as 127.0.0.1
  }
}
