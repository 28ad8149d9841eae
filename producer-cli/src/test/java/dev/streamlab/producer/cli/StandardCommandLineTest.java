package dev.streamlab.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.ProducerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class StandardCommandLineTest {

  @Command(name = "demo")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--verbose")
    boolean verbose;

    @Option(names = "--fail")
    boolean fail;

    @Option(names = "--count")
    int count;

    @Override
    public Integer call() throws IOException {
      if (fail) {
        throw new NoSuchFileException("data.txt");
      }
      return 0;
    }
  }

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = StandardCommandLine.of(new Demo());
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  @Test
  void aFailureIsOneLineAndExitCodeOne() {
    assertThat(run("--fail")).isEqualTo(1);
    assertThat(err.toString().lines()).containsExactly("demo: no such file: data.txt");
  }

  @Test
  void aFailureShowsItsStackTraceUnderVerbose() {
    assertThat(run("--fail", "--verbose")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("java.nio.file.NoSuchFileException: data.txt")
        .contains("\tat ");
  }

  @Test
  void aUsageErrorIsOneLineAndExitCodeTwo() {
    assertThat(run("--count", "many")).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("demo: Invalid value for option '--count'")
        .endsWith("(see 'demo --help')");
  }

  @Test
  void aMistypedOptionIsNamedAloneWithTheNearOnesAndItsValueIsNotASecondProblem() {
    assertThat(run("--cont", "3")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "demo: unknown option '--cont'; did you mean '--count'? (see 'demo --help')");
  }

  @Test
  void anUnexpectedArgumentIsNamed() {
    assertThat(run("extra")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("demo: unexpected argument 'extra' (see 'demo --help')");
  }

  @Test
  void producerCliHasABashCompletionScriptOfItsCommandsAndOptions() {
    StringWriter out = new StringWriter();
    CommandLine producer = ProducerCli.commandLine(System.in);
    producer.setOut(new PrintWriter(out, true));

    assertThat(producer.execute("generate-completion")).isZero();
    assertThat(out.toString())
        .contains("complete -F _complete_producer-cli")
        .contains("broker send serve drop rsvps")
        .contains("--bootstrap-server");
  }
}
