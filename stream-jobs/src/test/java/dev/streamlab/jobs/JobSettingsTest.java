package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

  private static final JobSettings SOCKET = JobSettings.of(Source.socket("127.0.0.1", 9999));

  @Test
  void eachStepReturnsAChangedCopyAndLeavesTheSettingsItCameFrom() {
    JobSettings changed =
        SOCKET.batch(Duration.ofSeconds(10)).master("local[4]").checkpointDir("relative/dir");

    assertThat(SOCKET.batch()).isEqualTo(Duration.ofSeconds(1));
    assertThat(SOCKET.checkpointDir()).isNull();
    assertThat(changed.batch()).isEqualTo(Duration.ofSeconds(10));
    assertThat(changed.master()).isEqualTo("local[4]");
    assertThat(changed.checkpointDir())
        .isEqualTo(Path.of("relative/dir").toAbsolutePath().toString());
    assertThat(changed.source()).isEqualTo(new Source.Socket("127.0.0.1", 9999));
  }

  @Test
  void aHadoopUriStaysAsItIsAndALocalDirectoryIsMadeAbsolute() {
    assertThat(SOCKET.checkpointDir("hdfs:///streamlab/x").checkpointDir())
        .isEqualTo("hdfs:///streamlab/x");
    assertThat(Source.directory("in"))
        .isEqualTo(new Source.Directory(Path.of("in").toAbsolutePath().toString()));
  }

  @Test
  void badArgumentsNameTheArgumentAndTheValue() {
    assertThatThrownBy(() -> Source.socket("127.0.0.1", 70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 1 to 65535, was 70000");
    assertThatThrownBy(() -> SOCKET.batch(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch must be at least 1 ms, was PT0S");
    assertThatThrownBy(() -> WindowSettings.of(SOCKET).slide(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slide must be a positive multiple of the batch interval 1000 ms, was 1500 ms");
  }

  @Test
  void eachJobRefusesSettingsItCannotRunOn() {
    try (ReportSink<VarianceReport> sink =
        ReportSink.open("job-settings-test", VarianceReport.class, report -> {})) {
      assertThatThrownBy(() -> VarianceJob.getOrCreate(WindowSettings.of(SOCKET), sink))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the variance job reads a Kafka topic, was Socket[");
    }
    try (ReportSink<WindowCountReport> sink =
        ReportSink.open("job-settings-test", WindowCountReport.class, report -> {})) {
      assertThatThrownBy(() -> WindowCountJob.getOrCreate(WindowSettings.of(SOCKET), sink))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the window-count job needs a checkpoint directory");
    }
    assertThatThrownBy(() -> WordCountJob.Settings.of(SOCKET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the word-count job needs a checkpoint directory");
  }
}
