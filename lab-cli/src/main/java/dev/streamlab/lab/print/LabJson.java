package dev.streamlab.lab.print;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.streamlab.variance.Algorithm;
import dev.streamlab.variance.LabFormat;
import dev.streamlab.variance.Stats;
import java.time.Instant;

/**
 * The JSON that {@code --format json} prints and that {@code bench}, {@code cluster} and the tests
 * read back: one object per line, times in UTC ISO-8601, statistics in Python's float repr ({@link
 * LabFormat#jsonNumber}).
 */
public final class LabJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LabJson() {}

  /** A new, empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** An object whose first member is {@code "time"}, the batch time of {@code timeMillis}. */
  public static ObjectNode at(long timeMillis) {
    return object().put("time", Instant.ofEpochMilli(timeMillis).toString());
  }

  /**
   * Adds the members {@code sum_x_square}, {@code sum_x}, {@code n}, {@code var} and {@code
   * rejected} to {@code json}, as {@link LabFormat#json} writes them.
   */
  public static ObjectNode putStats(ObjectNode json, Stats stats, long rejected, Algorithm how) {
    json.putRawValue("sum_x_square", number(stats.sumOfSquares()));
    json.putRawValue("sum_x", number(stats.sum()));
    json.put("n", stats.count());
    json.putRawValue("var", number(how.variance(stats)));
    return json.put("rejected", rejected);
  }

  /** {@code json} on one line. */
  public static String write(JsonNode json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + json, e);
    }
  }

  /**
   * The object printed as {@code line}.
   *
   * @throws IllegalArgumentException when the line is not JSON
   */
  public static JsonNode read(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON report: " + line, e);
    }
  }

  private static RawValue number(double value) {
    return new RawValue(LabFormat.jsonNumber(value));
  }
}
