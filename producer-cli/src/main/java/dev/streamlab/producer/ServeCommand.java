package dev.streamlab.producer;

import dev.streamlab.producer.base.StopSignal;
import dev.streamlab.producer.cli.RateConverter;
import dev.streamlab.producer.feed.LineServer;
import dev.streamlab.producer.feed.LineSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code producer-cli serve}: a TCP line server for socket streams, instead of {@code nc -lk}. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves lines over TCP to every client that connects, as 'nc -lk 9999' does for Spark's"
          + " socketTextStream: paced, never in bursts, and still listening when a client goes"
          + " away. Lines are taken only while a client is connected, not used up while nobody"
          + " listens.",
      "It ends when the lines do (or at Ctrl-C); --loop replays the files for ever."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand ProducerCli producer;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on. Default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 accepts"
              + " other machines.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "9999",
      description = "Port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Files of lines to serve, in order; '-' or none: standard input.")
  List<String> files = List.of();

  @Option(
      names = "--rate",
      paramLabel = "N/s",
      defaultValue = "10",
      converter = RateConverter.class,
      description = "Lines per second. Default: ${DEFAULT-VALUE}/s.")
  double rate;

  @Option(names = "--loop", description = "Replay the files again and again until stopped.")
  boolean loop;

  @Override
  public Integer call() throws Exception {
    StopSignal stop = StopSignal.trap();
    PrintWriter err = spec.commandLine().getErr();
    List<String> sources = files.isEmpty() ? List.of("-") : files;
    try (LineSource lines = LineSource.files(sources, producer.stdin, loop);
        LineServer server = new LineServer(host, port)) {
      err.println(
          "Serving lines on " + host + ":" + server.port() + " at " + rate + "/s; Ctrl-C stops");
      err.flush();
      long sent = server.serve(lines.decoded(), rate, stop);
      err.println("served " + sent + " lines");
      err.flush();
    }
    return 0;
  }
}
