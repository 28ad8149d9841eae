package dev.streamlab.producer.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RsvpGeneratorTest {

  private final ObjectMapper json = new ObjectMapper();

  private List<RsvpGenerator.Rsvp> generate(long seed, int count) {
    RsvpGenerator generator = new RsvpGenerator(seed);
    List<RsvpGenerator.Rsvp> rsvps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rsvps.add(generator.next());
    }
    return rsvps;
  }

  @Test
  void recordsHaveTheMeetupSchemaAndVenuesOnMostOfThem() throws Exception {
    List<RsvpGenerator.Rsvp> rsvps = generate(3, 2000);
    int venues = 0;
    int nonAscii = 0;
    for (RsvpGenerator.Rsvp rsvp : rsvps) {
      JsonNode record = json.readTree(rsvp.json());
      assertThat(record.has("member") && record.has("event") && record.has("group")).isTrue();
      assertThat(record.path("group").path("group_topics").isArray()).isTrue();
      assertThat(record.path("rsvp_id").isIntegralNumber()).isTrue();
      assertThat(rsvp.json()).doesNotContain("http://").contains("http:\\/\\/");
      if (record.has("venue")) {
        venues++;
        JsonNode venue = record.get("venue");
        assertThat(venue.has("venue_name") && venue.has("venue_id")).isTrue();
        assertThat(venue.get("lat").isDouble() && venue.get("lon").isDouble()).isTrue();
        // The record's own truth is exactly its venue.
        assertThat(json.readTree(rsvp.venueJson())).isEqualTo(venue);
      } else {
        assertThat(rsvp.venueJson()).isNull();
      }
      if (rsvp.json().chars().anyMatch(c -> c > 127)) {
        nonAscii++;
      }
    }
    // The lab's real data: 958 of 1,162 records (82 %) with a venue, 7 % of lines non-ASCII.
    assertThat(venues / 2000.0).isBetween(0.78, 0.86);
    assertThat(nonAscii / 2000.0).isBetween(0.03, 0.12);
  }

  @Test
  void theSameSeedGivesTheSameRecords() {
    assertThat(generate(9, 50)).isEqualTo(generate(9, 50));
    assertThat(generate(9, 50)).isNotEqualTo(generate(10, 50));
  }
}
