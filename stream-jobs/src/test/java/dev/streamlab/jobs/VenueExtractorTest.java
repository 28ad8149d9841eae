package dev.streamlab.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlab.producer.feed.RsvpGenerator;
import dev.streamlab.producer.feed.RsvpGenerator.Rsvp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VenueExtractorTest {

  @Test
  void extractsTheVenueOfEveryGeneratedRsvpAsTheGeneratorWroteIt() {
    RsvpGenerator generator = new RsvpGenerator(11);
    int withVenue = 0;
    for (int i = 0; i < 3_000; i++) {
      Rsvp rsvp = generator.next();
      RsvpLine line = VenueExtractor.parse(rsvp.json());
      assertThat(line.rsvp()).as(rsvp.json()).isTrue();
      assertThat(line.venue()).as(rsvp.json()).isEqualTo(rsvp.venueJson());
      withVenue += line.hasVenue() ? 1 : 0;
    }
    assertThat(withVenue).isBetween(2_300, 2_600); // about 82 %, as in the real feed
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK",
        "Content-Type: application/json",
        "",
        "   ",
        "{\"venue\":{\"venue_name\":\"Galvanize\"",
        "{\"venue\":",
        "[{\"venue\":{}}]",
        "\"venue\"",
        "42",
        "null",
        "{\"venue\":{}} trailing text",
        "{\"venue\":{}}{\"venue\":{}}",
        "{'venue': {'venue_name': 'Galvanize'}}"
      })
  void skipsLinesThatAreNotOneJsonObject(String line) {
    assertThat(VenueExtractor.parse(line)).isEqualTo(RsvpLine.SKIPPED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"venue\":null}",
        "{\"venue\":\"Galvanize\"}",
        "{\"venue\":[1,2]}",
        "{\"response\":\"yes\",\"guests\":0}"
      })
  void countsAnRsvpWithoutAVenueObjectAsWithoutVenue(String line) {
    assertThat(VenueExtractor.parse(line)).isEqualTo(RsvpLine.WITHOUT_VENUE);
  }

  @Test
  void writesTheVenueCompactInItsOrderWithUnicodeAndPlainSlashes() {
    RsvpLine line =
        VenueExtractor.parse(
            "  {\"venue\": {\"venue_name\": \"Caf\\u00e9 M\u00fcller \\/ 2F\", \"lon\": 8.5,"
                + " \"lat\": 47.37, \"venue_id\": 21741962}, \"response\": \"yes\"}");

    assertThat(line.venue())
        .isEqualTo(
            "{\"venue_name\":\"Café Müller / 2F\",\"lon\":8.5,\"lat\":47.37,\"venue_id\":21741962}");
  }

  @Test
  void countsAddUpLineByLine() {
    VenueCounts counts =
        VenueCounts.ZERO
            .plus(VenueCounts.of(VenueExtractor.parse("HTTP/1.1 200 OK")))
            .plus(VenueCounts.of(VenueExtractor.parse("{}")))
            .plus(VenueCounts.of(VenueExtractor.parse("{\"venue\":{\"venue_id\":1}}")));

    assertThat(counts).isEqualTo(new VenueCounts(3, 2, 1, 1));
  }
}
