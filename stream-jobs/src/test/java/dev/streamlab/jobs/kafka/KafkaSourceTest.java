package dev.streamlab.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSourceTest {

  @Test
  void printsTheNamesOfItsConsumerSettingsNeverTheirValues() {
    KafkaSource source =
        KafkaSource.of("127.0.0.1:9092", "variance")
            .withConsumerProperties(
                Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.jaas.config", "ScramLoginModule required password=\"s3cret-value\";"));

    assertThat(source.toString())
        .contains("topic=variance")
        .contains("consumerProperties=[sasl.jaas.config, security.protocol]")
        .doesNotContain("s3cret-value")
        .doesNotContain("SASL_SSL");
  }

  @Test
  void anAdminClientGetsTheSettingsItKnowsAndTheConfigProvidersThatResolveThem() {
    KafkaSource source =
        KafkaSource.of("127.0.0.1:9092", "variance")
            .withConsumerProperties(
                Map.of(
                    "config.providers", "env",
                    "config.providers.env.class",
                        "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                    "sasl.jaas.config", "password=\"${env:KAFKA_PASSWORD}\";",
                    "fetch.max.bytes", "1000"));

    assertThat(source.adminProperties())
        .containsOnlyKeys("config.providers", "config.providers.env.class", "sasl.jaas.config");
  }
}
