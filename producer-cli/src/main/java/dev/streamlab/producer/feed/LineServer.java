package dev.streamlab.producer.feed;

import dev.streamlab.producer.base.StopSignal;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A TCP server that sends lines of text to every connected client, the way {@code nc -lk} does for
 * a Spark {@code socketTextStream}: it keeps listening when a client goes away, and a line is taken
 * from the source only while at least one client is connected, so none is sent to nobody.
 *
 * <p>Thread-safe.
 */
public final class LineServer implements AutoCloseable {

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Client> clients = new ArrayList<>();

  private record Client(Socket socket, Writer writer) {}

  /**
   * Listens on {@code host:port} (port 0 picks a free one) and accepts clients in the background.
   *
   * @throws IOException if the address cannot be bound (port in use, …)
   */
  public LineServer(String host, int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    try {
      server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    acceptor = new Thread(this::acceptClients, "line-server-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Sends lines to every connected client, waiting while there is none, at most {@code rate} lines
   * per second, until the lines end or {@code stop} is requested. Returns the number of lines sent.
   */
  public long serve(Iterator<String> lines, double rate, StopSignal stop)
      throws InterruptedException {
    long pause = Math.round(1e9 / rate);
    long sent = 0;
    long next = System.nanoTime();
    while (!stop.requested()) {
      synchronized (this) {
        while (clients.isEmpty() && !stop.requested()) {
          wait(100);
        }
      }
      if (stop.requested() || !lines.hasNext()) {
        break;
      }
      broadcast(lines.next());
      sent++;
      next += pause;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        stop.await(Duration.ofNanos(wait));
      } else {
        next = System.nanoTime(); // fell behind (no client for a while): no burst to catch up
      }
    }
    return sent;
  }

  /** Sends one line to every connected client, dropping those that went away. */
  public synchronized void broadcast(String line) {
    clients.removeIf(
        client -> {
          try {
            client.writer().write(line);
            client.writer().write('\n');
            client.writer().flush();
            return false;
          } catch (IOException gone) {
            closeQuietly(client.socket());
            return true;
          }
        });
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      clients.forEach(client -> closeQuietly(client.socket()));
      clients.clear();
      notifyAll();
    }
  }

  private void acceptClients() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Writer writer =
            new BufferedWriter(
                new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
        synchronized (this) {
          clients.add(new Client(socket, writer));
          notifyAll();
        }
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Going away anyway.
    }
  }
}
