package dev.streamlab.jobs;

import dev.streamlab.variance.Tally;
import java.io.Serializable;

/**
 * What {@link CumulativeVariance} says after each batch: the cumulative tally of every number since
 * the start, the tally of the last window, and whether this batch ends a slide interval (the
 * reports that are printed).
 */
public record VarianceReport(long timeMillis, Tally cumulative, Tally window, boolean due)
    implements Serializable {}
