package dev.streamlab.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a job over a sliding window ({@link VarianceJob}, {@link WindowCountJob}): its
 * {@link JobSettings}, the window's length and how often it slides, both multiples of the batch
 * interval.
 *
 * @param window the length of the window
 * @param slide how often the job reports
 */
public record WindowSettings(JobSettings job, Duration window, Duration slide)
    implements Serializable {

  public WindowSettings {
    Objects.requireNonNull(job, "job");
    job.requireMultipleOfBatch("window", window);
    job.requireMultipleOfBatch("slide", slide);
  }

  /** The job on {@code job}, its window and slide one batch each. */
  public static WindowSettings of(JobSettings job) {
    return new WindowSettings(job, job.batch(), job.batch());
  }

  /** These settings with a window of {@code window}. */
  public WindowSettings window(Duration window) {
    return new WindowSettings(job, window, slide);
  }

  /** These settings reporting every {@code slide}. */
  public WindowSettings slide(Duration slide) {
    return new WindowSettings(job, window, slide);
  }

  /** How many batches the window covers. */
  int windowBatches() {
    return job.batchesIn(window);
  }
}
