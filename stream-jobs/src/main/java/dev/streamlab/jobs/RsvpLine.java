package dev.streamlab.jobs;

import java.io.Serializable;

/**
 * What one line of an RSVP stream is: an RSVP (a JSON object) with its venue or without one, or a
 * line to skip (not a JSON object: an HTTP header, a blank keep-alive line, truncated JSON).
 *
 * @param rsvp whether the line is a JSON object
 * @param venue the JSON of the RSVP's {@code venue} object, or {@code null} when it has none
 */
public record RsvpLine(boolean rsvp, String venue) implements Serializable {

  /** A line that is not a JSON object. */
  public static final RsvpLine SKIPPED = new RsvpLine(false, null);

  /** An RSVP without a venue. */
  public static final RsvpLine WITHOUT_VENUE = new RsvpLine(true, null);

  public RsvpLine {
    if (!rsvp && venue != null) {
      throw new IllegalArgumentException("a skipped line has no venue, was " + venue);
    }
  }

  /** Whether this is an RSVP with a venue. */
  public boolean hasVenue() {
    return venue != null;
  }
}
