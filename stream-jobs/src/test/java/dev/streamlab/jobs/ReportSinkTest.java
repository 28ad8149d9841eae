package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSinkTest {

  @Test
  void aSinkRestoredFromACheckpointReportsToTheReceiverOpenUnderItsName() throws Exception {
    List<String> before = new ArrayList<>();
    ReportSink<String> sink =
        ReportSink.open("report-sink-test-restore", String.class, before::add);
    byte[] checkpointed = serialize(sink);
    sink.deliver("one");
    sink.close();

    List<String> after = new ArrayList<>();
    try (ReportSink<String> reopened =
        ReportSink.open("report-sink-test-restore", String.class, after::add)) {
      @SuppressWarnings("unchecked") // written above
      ReportSink<String> restored = (ReportSink<String>) deserialize(checkpointed);
      restored.deliver("two");
      assertThat(reopened.name()).isEqualTo(restored.name());
    }

    assertThat(before).containsExactly("one");
    assertThat(after).containsExactly("two");
  }

  @Test
  void aNameIsOpenOnceAndAClosedSinkRefusesReports() {
    ReportSink<String> sink = ReportSink.open("report-sink-test-once", String.class, s -> {});
    assertThatThrownBy(() -> ReportSink.open("report-sink-test-once", String.class, s -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a report sink named 'report-sink-test-once' is open already");
    sink.close();

    assertThatThrownBy(() -> sink.deliver("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no report sink open as 'report-sink-test-once'");
  }

  private static byte[] serialize(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
