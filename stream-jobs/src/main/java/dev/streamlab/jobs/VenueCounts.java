package dev.streamlab.jobs;

import java.io.Serializable;

/**
 * Counts of the lines of an RSVP stream: all lines, the RSVPs among them, the RSVPs with a venue,
 * and the lines skipped because they are not JSON objects ({@code lines = rsvps + skipped}).
 */
public record VenueCounts(long lines, long rsvps, long venues, long skipped)
    implements Serializable {

  /** No lines. */
  public static final VenueCounts ZERO = new VenueCounts(0, 0, 0, 0);

  /** The counts of one line. */
  public static VenueCounts of(RsvpLine line) {
    return new VenueCounts(1, line.rsvp() ? 1 : 0, line.hasVenue() ? 1 : 0, line.rsvp() ? 0 : 1);
  }

  /** These counts and {@code other}'s together. */
  public VenueCounts plus(VenueCounts other) {
    return new VenueCounts(
        lines + other.lines, rsvps + other.rsvps, venues + other.venues, skipped + other.skipped);
  }
}
