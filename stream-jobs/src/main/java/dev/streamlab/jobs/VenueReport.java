package dev.streamlab.jobs;

import java.util.List;

/**
 * One batch of the venues job: its counts and the JSON of every venue in it, in stream order.
 *
 * @param timeMillis the batch time
 */
public record VenueReport(long timeMillis, VenueCounts counts, List<String> venues) {

  public VenueReport {
    venues = List.copyOf(venues);
  }
}
