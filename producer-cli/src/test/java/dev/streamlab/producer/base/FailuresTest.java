package dev.streamlab.producer.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void describesFailuresWithoutExceptionClassNames() {
    assertThat(Failures.describe(new AccessDeniedException("secret.txt")))
        .isEqualTo("permission denied: secret.txt");
    assertThat(Failures.describe(new UncheckedIOException(new NoSuchFileException("gone.txt"))))
        .isEqualTo("no such file: gone.txt");
    assertThat(Failures.describe(new IllegalStateException("broker unreachable")))
        .isEqualTo("broker unreachable");
    assertThat(Failures.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void describesAWrapperThatRepeatsItsCauseByTheCauseAloneInOneLine() {
    IllegalStateException cause =
        new IllegalStateException("records of variance-0 from offset 30 were deleted");
    // As Spark's SparkException reports a failed task: the cause's toString, then its stack trace
    Exception stageFailure =
        new Exception(
            "Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times: "
                + cause
                + "\n\tat dev.streamlab.jobs.PartitionReader.fetch(PartitionReader.java:168)\n",
            cause);

    assertThat(Failures.describe(stageFailure))
        .isEqualTo("records of variance-0 from offset 30 were deleted");
    assertThat(Failures.describe(new IllegalStateException("first\n\tat second")))
        .isEqualTo("first");
  }
}
