package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How transcripts are read from Markdown and how their outputs are compared. */
class TranscriptTest {

  @Test
  void aBlockOfCommandsIsATranscriptAndOtherBlocksAreNot() {
    List<Transcript> transcripts =
        Transcript.parse(
            "README.md",
            List.of(
                "Text.",
                "```bash",
                "bin/lab-cli run variance     # no prompt: not a transcript",
                "```",
                "",
                "```",
                "$ printf '1 2\\n' | bin/lab-cli stats",
                "('sum_x_square:', 5.0, 'sum_x:', 3.0, 'n:', 2.0, 'var:', 0.25)",
                "",
                "$ bin/lab-cli stats missing.txt",
                "lab-cli stats: no such file: missing.txt          (exit code 1)",
                "```"));

    assertThat(transcripts).hasSize(1);
    Transcript transcript = transcripts.get(0);
    assertThat(transcript.where()).isEqualTo("README.md:6");
    assertThat(transcript.notRun()).isEmpty();
    assertThat(transcript.broker()).isEmpty();
    assertThat(transcript.steps()).hasSize(2);
    Transcript.Step first = transcript.steps().get(0);
    assertThat(first.line()).isEqualTo(7);
    assertThat(first.command()).isEqualTo("printf '1 2\\n' | bin/lab-cli stats");
    assertThat(first.output().lines()).hasSize(1);
    assertThat(first.exitCode()).isZero();
    assertThat(first.interruptAfter()).isEqualTo(-1);
    Transcript.Step second = transcript.steps().get(1);
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.output().lines()).containsExactly("lab-cli stats: no such file: missing.txt");
  }

  @Test
  void aCtrlCIsSentAfterTheLinesBeforeItAndATrailingEllipsisStopsAJobThatRunsOn() {
    List<Transcript.Step> steps =
        Transcript.parse(
                "README.md",
                List.of(
                    "```",
                    "$ bin/producer-cli send",
                    "sent: 1 2 3 4 5 6",
                    "^C1 line acknowledged by localhost:9092, topic variance",
                    "$ bin/lab-cli run long-words",
                    "Watching …",
                    "...",
                    "```"))
            .get(0)
            .steps();

    assertThat(steps.get(0).interruptAfter()).isEqualTo(1);
    assertThat(steps.get(0).output().lines())
        .containsExactly(
            "sent: 1 2 3 4 5 6", "1 line acknowledged by localhost:9092, topic variance");
    assertThat(steps.get(1).interruptAfter()).isEqualTo(1);
  }

  @Test
  void aBlockInAListItemAndACommandOnSeveralLinesAreRead() {
    List<Transcript> transcripts =
        Transcript.parse(
            "docs/lab-questions.md",
            List.of(
                "- **Rate limits.** Here:",
                "",
                "  ```",
                "  $ seq 12 | paste -d ' ' - - - - - - | bin/lab-cli run variance \\",
                "      --feed /dev/stdin",
                "  Embedded Kafka broker at …",
                "  ```",
                "  After."));

    Transcript.Step step = transcripts.get(0).steps().get(0);
    assertThat(step.command())
        .isEqualTo(
            "seq 12 | paste -d ' ' - - - - - - | bin/lab-cli run variance \\\n    --feed /dev/stdin");
    assertThat(step.output().lines()).containsExactly("Embedded Kafka broker at …");
  }

  @Test
  void tildeFencesLongerFencesAndInfoStringsOpenBlocksToo() {
    List<Transcript> transcripts =
        Transcript.parse(
            "README.md",
            List.of(
                "~~~console title=\"x\"",
                "$ bin/lab-cli --version",
                "lab-cli 0.1.0-SNAPSHOT",
                "~~~",
                "````",
                "$ printf '```\\n'",
                "```",
                "````"));

    assertThat(transcripts).hasSize(2);
    assertThat(transcripts.get(0).steps().get(0).output().lines())
        .containsExactly("lab-cli 0.1.0-SNAPSHOT");
    assertThat(transcripts.get(1).steps().get(0).output().lines()).containsExactly("```");
  }

  @Test
  void directivesSayWhatABlockNeedsOrWhichTestsCoverIt() {
    List<Transcript> transcripts =
        Transcript.parse(
            "README.md",
            List.of(
                "<!-- transcript with a broker at localhost:9092 -->",
                "```",
                "$ bin/lab-cli consume --bootstrap-server localhost:9092",
                "```",
                "<!-- transcript not run: three terminals; covered by LaunchersIT#a, OtherIT#b -->",
                "",
                "```",
                "$ bin/producer-cli broker",
                "```"));

    assertThat(transcripts.get(0).broker()).contains("localhost:9092");
    assertThat(transcripts.get(1).notRun()).contains("three terminals");
    assertThat(transcripts.get(1).coveredBy()).containsExactly("LaunchersIT#a", "OtherIT#b");
  }

  @Test
  void aMalformedDirectiveOrBlockIsAnErrorThatNamesItsLine() {
    assertThatThrownBy(
            () ->
                Transcript.parse(
                    "README.md",
                    List.of("<!-- transcript not run: no test named -->", "```", "$ ls", "```")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("README.md:1: 'not run: no test named' is not a transcript");
    assertThatThrownBy(() -> Transcript.parse("docs/x.md", List.of("```", "output", "$ ls", "```")))
        .hasMessage("docs/x.md:2: a transcript starts with a '$ ' command");
    assertThatThrownBy(() -> Transcript.parse("docs/x.md", List.of("", "```", "$ ls")))
        .hasMessage("docs/x.md:2: a block that never ends");
  }

  @Test
  void anOutputMatchesOnlyWhatItShowsWithItsWildcards() {
    ExpectedOutput expected =
        new ExpectedOutput(
            List.of(
                "Embedded Kafka broker at 127.0.0.1:…; feeding topic 'variance'",
                "Time: 2026-11-22 01:23:16",
                "('sum_x_square:', 182.0, 'n:', 12.0)",
                "...",
                "Final",
                ""));

    assertThat(expected.matches(printed("2027-01-02 13:14:15", "182.0", "12.0", "one", "two")))
        .isTrue();
    assertThat(expected.matches(printed("2027-01-02 13:14:15", "182.0", "12.0")))
        .as("'...' stands for no line too")
        .isTrue();
    assertThat(expected.matches(printed("2027-01-02 13:14:15", "273.0", "18.0")))
        .as("a number that differs")
        .isFalse();
    List<String> more = new ArrayList<>(printed("2027-01-02 13:14:15", "182.0", "12.0"));
    more.add("a line more");
    assertThat(expected.matches(more)).as("a line the README does not show").isFalse();
    assertThat(expected.matches(printed("soon", "182.0", "12.0")))
        .as("a time stands for a time, not for any text")
        .isFalse();
    assertThat(expected.matches(printed("2027-01-02T13:14:15Z", "182.0", "12.0")))
        .as("a time written another way")
        .isFalse();
  }

  /** What a run prints: the broker's line, a report at {@code time}, {@code between}, the end. */
  private static List<String> printed(String time, String sum, String n, String... between) {
    List<String> lines = new ArrayList<>();
    lines.add("Embedded Kafka broker at 127.0.0.1:40123; feeding topic 'variance'");
    lines.add("Time: " + time);
    lines.add("('sum_x_square:', " + sum + ", 'n:', " + n + ")   "); // spaces at the end
    lines.addAll(List.of(between));
    lines.addAll(List.of("Final", "", ""));
    return lines;
  }

  @Test
  void theStartOfAnOutputMatchesBeforeTheRestIsPrinted() {
    ExpectedOutput expected = new ExpectedOutput(List.of("a", "b…", "c"));

    assertThat(expected.startMatches(List.of("a"), 2)).isFalse();
    assertThat(expected.startMatches(List.of("a", "b2"), 2)).isTrue();
    assertThat(expected.startMatches(List.of("a", "b2", "x", "y"), 2)).isTrue();
    assertThat(expected.startMatches(List.of("x", "a", "b2"), 2)).isFalse();
  }

  @Test
  void regularExpressionCharactersInTheReadmeAreLiteral() {
    assertThat(ExpectedOutput.lineMatches("(1+1)*[x] $y ^z", "(1+1)*[x] $y ^z")).isTrue();
    assertThat(ExpectedOutput.lineMatches("(1+1)", "11")).isFalse();
    assertThat(ExpectedOutput.lineMatches("a…b…c", "a--b--c")).isTrue();
    assertThat(ExpectedOutput.lineMatches("a…", "a")).isTrue();
  }
}
