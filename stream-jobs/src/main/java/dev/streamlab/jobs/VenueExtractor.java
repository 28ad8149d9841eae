package dev.streamlab.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the {@code venue} of a Meetup RSVP line, as the lab's {@code json.loads(line)['venue']}
 * did, without failing on lines that are not RSVPs.
 *
 * <ul>
 *   <li>A line that is not exactly one JSON object (an HTTP header that {@code curl -i} prints
 *       first, a blank keep-alive line, truncated JSON, an array, trailing text) is {@link
 *       RsvpLine#SKIPPED skipped}.
 *   <li>A JSON object whose {@code venue} is missing, {@code null} or not an object is an RSVP
 *       {@link RsvpLine#WITHOUT_VENUE without venue}.
 *   <li>Otherwise the venue is written back as compact JSON, fields in their order, non-ASCII
 *       characters as UTF-8 ({@code \/} in the feed becomes {@code /}).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class VenueExtractor {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private VenueExtractor() {}

  /** What {@code line} is, and its venue. */
  public static RsvpLine parse(String line) {
    int start = 0;
    while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    if (start == line.length() || line.charAt(start) != '{') {
      return RsvpLine.SKIPPED; // not an object: no need to run the parser
    }
    JsonNode rsvp;
    try {
      rsvp = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return RsvpLine.SKIPPED;
    }
    if (!rsvp.isObject()) {
      return RsvpLine.SKIPPED;
    }
    JsonNode venue = rsvp.get("venue");
    if (venue == null || !venue.isObject()) {
      return RsvpLine.WITHOUT_VENUE;
    }
    try {
      return new RsvpLine(true, MAPPER.writeValueAsString(venue));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed venue cannot be written back", e);
    }
  }
}
