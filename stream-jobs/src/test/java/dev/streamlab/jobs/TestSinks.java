package dev.streamlab.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Report sinks for a test, each adding what it receives to a list, closed after the test:
 * {@code @RegisterExtension final TestSinks sinks = new TestSinks();}.
 */
final class TestSinks implements AfterEachCallback {

  private final List<ReportSink<?>> open = new ArrayList<>();

  /** A new sink, under a name of its own, that adds every report to {@code reports}. */
  <R> ReportSink<R> into(Class<R> type, List<R> reports) {
    ReportSink<R> sink = ReportSink.open("test-" + UUID.randomUUID(), type, reports::add);
    open.add(sink);
    return sink;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    open.forEach(ReportSink::close);
    open.clear();
  }
}
