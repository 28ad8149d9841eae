package dev.streamlab.producer;

import dev.streamlab.producer.feed.RsvpGenerator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code producer-cli rsvps}: seeded Meetup-like RSVP JSON lines on standard output. */
@Command(
    name = "rsvps",
    mixinStandardHelpOptions = true,
    description = {
      "Writes Meetup-like RSVP records, one JSON object per line, with the real feed's schema:"
          + " a venue (venue_name, venue_id, lat, lon) on about 82 %% of them, member, event, group"
          + " with group_topics, non-ASCII names. The same seed gives the same records."
    })
final class RsvpsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--count",
      defaultValue = "100",
      paramLabel = "N",
      description = "Default: ${DEFAULT-VALUE}.")
  long count;

  @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    if (count < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--count must be 0 or more, was " + count);
    }
    RsvpGenerator generator = new RsvpGenerator(seed);
    PrintWriter out = spec.commandLine().getOut();
    for (long i = 0; i < count; i++) {
      out.println(generator.next().json());
    }
    out.flush();
    return 0;
  }
}
