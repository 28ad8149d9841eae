package dev.streamlab.producer.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * Seeded Meetup-like RSVP records, one JSON object per line, with the schema of the Meetup RSVP
 * stream the lab used: {@code venue} ({@code venue_name}, {@code lon}, {@code lat}, {@code
 * venue_id}) on about 82 % of records, {@code visibility}, {@code response}, {@code guests}, {@code
 * member}, {@code rsvp_id}, {@code mtime}, {@code event} and {@code group} with {@code
 * group_topics}. Names include non-ASCII letters, written as raw UTF-8, and slashes are escaped
 * ({@code http:\/\/…}) as the real feed does.
 *
 * <p>Each {@link Rsvp} carries its own truth, the JSON of its venue or null, for tests and checks.
 * Not thread-safe.
 */
public final class RsvpGenerator {

  /** One record: its JSON line, and the JSON of its venue ({@code null} when it has none). */
  public record Rsvp(String json, String venueJson) {}

  private static final List<String> VENUES =
      List.of(
          "Couchbase San Francisco",
          "Galvanize",
          "WeWork Soma",
          "The Hacker Dojo",
          "Public Library, Room 2B",
          "Microsoft Reactor",
          "Google Campus",
          "Impact Hub");
  private static final List<String> MEMBERS =
      List.of(
          "Che Hsu",
          "Priya Patel",
          "Sam Lee",
          "Olusegun Obi",
          "Karen Smith",
          "David Chen",
          "Laura Gomez",
          "Tom Becker");
  private static final List<String> CITIES =
      List.of("San Francisco", "New York", "Berlin", "Austin", "Seattle", "London");

  /** Names with non-ASCII letters; the real feed has them on about 7 % of its lines. */
  private static final List<String> INTERNATIONAL =
      List.of(
          "Café Müller",
          "Zürich Tech Hub",
          "東京オフィス",
          "São Paulo",
          "Kraków Code Space",
          "Ñandú Labs",
          "Jürgen Weiß",
          "Zoë Martin",
          "Łukasz Nowak",
          "田中 太郎",
          "María José");

  private static final double INTERNATIONAL_SHARE = 0.025;
  private static final List<String> TOPICS =
      List.of(
          "Java",
          "NoSQL",
          "Big Data",
          "Apache Spark",
          "Machine Learning",
          "Web Development",
          "Data Science",
          "Cloud Computing",
          "Open Source",
          "Mobile Development");

  private final Random random;
  private final ObjectMapper mapper = new ObjectMapper();
  private long mtime = 1_446_516_373_612L;
  private long rsvpId = 1_577_033_972L;

  /** A generator of the records of {@code seed}. */
  public RsvpGenerator(long seed) {
    random = new Random(seed);
    mapper.getFactory().setCharacterEscapes(new SlashEscapes());
  }

  /** The next record. */
  public Rsvp next() {
    ObjectNode rsvp = mapper.createObjectNode();
    ObjectNode venue = null;
    if (random.nextDouble() < 0.82) {
      venue = rsvp.putObject("venue");
      venue.put("venue_name", name(VENUES));
      venue.put("lon", round(-180 + 360 * random.nextDouble()));
      venue.put("lat", round(-60 + 130 * random.nextDouble()));
      venue.put("venue_id", 1_000_000 + random.nextInt(30_000_000));
    }
    rsvp.put("visibility", random.nextDouble() < 0.95 ? "public" : "members");
    rsvp.put("response", random.nextDouble() < 0.9 ? "yes" : "no");
    rsvp.put("guests", random.nextInt(4) == 0 ? random.nextInt(3) : 0);
    ObjectNode member = rsvp.putObject("member");
    member.put("member_id", 1_000_000 + random.nextInt(200_000_000));
    if (random.nextBoolean()) {
      member.put(
          "photo",
          "http://photos3.meetupstatic.com/photos/member/thumb_"
              + random.nextInt(1 << 30)
              + ".jpeg");
    }
    member.put("member_name", name(MEMBERS));
    rsvp.put("rsvp_id", rsvpId += 1 + random.nextInt(1000));
    rsvp.put("mtime", mtime += random.nextInt(5000));
    ObjectNode event = rsvp.putObject("event");
    String topic = pick(TOPICS);
    String group = topic.replace(' ', '-') + "-Meetup-" + random.nextInt(500);
    String eventId = Integer.toString(200_000_000 + random.nextInt(100_000_000));
    event.put("event_name", topic + " night #" + (1 + random.nextInt(99)));
    event.put("event_id", eventId);
    event.put("time", mtime + 86_400_000L * (1 + random.nextInt(30)));
    event.put("event_url", "http://www.meetup.com/" + group + "/events/" + eventId + "/");
    ObjectNode groupNode = rsvp.putObject("group");
    ArrayNode topics = groupNode.putArray("group_topics");
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      String name = pick(TOPICS);
      topics
          .addObject()
          .put("urlkey", name.toLowerCase().replace(' ', '-'))
          .put("topic_name", name);
    }
    groupNode.put("group_city", name(CITIES));
    groupNode.put("group_country", "us");
    groupNode.put("group_id", 1_000_000 + random.nextInt(20_000_000));
    groupNode.put("group_name", "The " + topic + " Group");
    groupNode.put("group_lon", round(-180 + 360 * random.nextDouble()));
    groupNode.put("group_urlname", group);
    groupNode.put("group_lat", round(-60 + 130 * random.nextDouble()));
    try {
      return new Rsvp(
          mapper.writeValueAsString(rsvp), venue == null ? null : mapper.writeValueAsString(venue));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String name(List<String> ascii) {
    return pick(random.nextDouble() < INTERNATIONAL_SHARE ? INTERNATIONAL : ascii);
  }

  private String pick(List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static double round(double degrees) {
    return Math.round(degrees * 1e6) / 1e6;
  }

  /** Escapes '/' as "\/", as the Meetup feed does; everything else as Jackson does. */
  private static final class SlashEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializableString SLASH = new SerializedString("\\/");
    private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

    SlashEscapes() {
      escapes['/'] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    /** Jackson asks about '/' and about every non-ASCII character: only '/' is escaped. */
    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == '/' ? SLASH : null;
    }
  }
}
