package dev.streamlab.producer;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One run of {@code producer-cli} through the same wiring as {@code main}: exit code and output.
 */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(String stdin, String... args) {
    CommandLine commandLine =
        ProducerCli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new CommandRun(commandLine.execute(args), out.toString(), err.toString());
  }
}
