package dev.streamlab.producer.base;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** A failure told in one line, as every command and feeder of this project reports it. */
public final class Failures {

  private Failures() {}

  /** The one-line description of a failure, without the exception's class name. */
  public static String describe(Throwable failure) {
    if (failure instanceof NoSuchFileException e) {
      return "no such file: " + e.getFile();
    }
    if (failure instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (failure instanceof FileSystemException e && e.getReason() != null) {
      return e.getFile() + ": " + e.getReason();
    }
    if (failure.getCause() != null && isWrapper(failure)) {
      return describe(failure.getCause());
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElseThrow().strip();
  }

  /**
   * Whether {@code failure} only carries its cause: it says nothing of its own, or is one of the
   * JDK's wrappers, or repeats the cause's class name in its message, as Spark's "Job aborted due
   * to stage failure: … java.lang.IllegalStateException: …" does, stack trace included.
   */
  private static boolean isWrapper(Throwable failure) {
    String message = failure.getMessage();
    return message == null
        || failure instanceof java.io.UncheckedIOException
        || failure instanceof java.util.concurrent.ExecutionException
        || failure instanceof java.util.concurrent.CompletionException
        || message.contains(failure.getCause().getClass().getName());
  }
}
