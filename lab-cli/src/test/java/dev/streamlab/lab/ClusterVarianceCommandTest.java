package dev.streamlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code lab-cli cluster variance}'s usage errors, found before anything starts. */
class ClusterVarianceCommandTest {

  @Test
  void aBrokerThatIsNotOneOfTheThreeIsAUsageError() {
    CommandRun run = CommandRun.of("", "cluster", "variance", "--stop-broker", "4");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("lab-cli cluster variance: ").contains("--stop-broker");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void aMissingJobJarIsAUsageError() {
    CommandRun run = CommandRun.of("", "cluster", "variance", "--job-jar", "no-such.jar");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--job-jar no-such.jar is not a file");
  }
}
