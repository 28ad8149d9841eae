package dev.streamlab.lab;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** One run of {@code lab-cli} through the same wiring as {@code main}: exit code and output. */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(String stdin, String... args) {
    return of(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  static CommandRun of(byte[] stdin, String... args) {
    CommandLine commandLine = LabCli.commandLine(new ByteArrayInputStream(stdin));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }
}
