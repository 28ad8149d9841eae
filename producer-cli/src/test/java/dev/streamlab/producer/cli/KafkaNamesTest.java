package dev.streamlab.producer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Topic names and broker lists are checked as Kafka checks them, before anything starts. */
class KafkaNamesTest {

  private final TopicConverter topics = new TopicConverter();
  private final BootstrapServersConverter servers = new BootstrapServersConverter();

  @Test
  void topicNamesKafkaAcceptsAreTaken() {
    assertThat(topics.convert("variance")).isEqualTo("variance");
    assertThat(topics.convert("a.b_c-D9")).isEqualTo("a.b_c-D9");
    assertThat(topics.convert("t".repeat(249))).hasSize(249);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "bad topic!", "über", "a/b"})
  void topicNamesKafkaRefusesAreUsageErrorsThatStateTheRule(String name) {
    assertThatThrownBy(() -> topics.convert(name))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("'" + name + "' is not a Kafka topic name: ")
        .hasMessageEndingWith("(1 to 249 ASCII letters, digits, '.', '_' or '-')");
  }

  @Test
  void aTopicNameOfMoreThan249CharactersSaysHowLongItIs() {
    assertThatThrownBy(() -> topics.convert("t".repeat(250)))
        .hasMessageContaining("250 characters");
  }

  @Test
  void brokerListsAreTakenAsGiven() {
    assertThat(servers.convert("localhost:9092")).isEqualTo("localhost:9092");
    assertThat(servers.convert("k1:9092,k2:9093")).isEqualTo("k1:9092,k2:9093");
    assertThat(servers.convert("[::1]:9092")).isEqualTo("[::1]:9092");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "localhost",
        "localhost:",
        ":9092",
        "host:x",
        "host:0",
        "host:65536",
        "k1:9092,"
      })
  void badBrokerListsAreUsageErrors(String list) {
    assertThatThrownBy(() -> servers.convert(list))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("'" + list + "' is not a list of Kafka brokers: ");
  }
}
