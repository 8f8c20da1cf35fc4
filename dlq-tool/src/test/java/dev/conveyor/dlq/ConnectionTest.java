package dev.conveyor.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.Env;
import dev.conveyor.kafka.ClusterConfig;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    @Test
    void givenAddressOptionsThenTheSecuritySettingsStillComeFromTheEnvironment() {
        // given a SASL_SSL cluster in the environment and other addresses on the command line
        Env env = Env.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9093", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_USERNAME", "ops", "KAFKA_SASL_PASSWORD", "secret",
                "SCHEMA_REGISTRY_URL", "https://registry:8443", "SCHEMA_REGISTRY_USERNAME", "ops", "SCHEMA_REGISTRY_PASSWORD", "secret"));
        DeadLetterTool.Connection connection = new DeadLetterTool.Connection();
        connection.bootstrapServers = "k2:9093";
        connection.registryUrl = "https://registry-2:8443";

        // when the tool builds its cluster settings
        ClusterConfig cluster = connection.cluster(env);

        // then the options choose the addresses and the environment the login
        assertThat(cluster.bootstrapServers()).isEqualTo("k2:9093");
        assertThat(cluster.schemaRegistryUrl()).isEqualTo("https://registry-2:8443");
        assertThat(cluster.kafkaSecurity().protocol()).isEqualTo(SecurityProtocol.SASL_SSL);
        assertThat(cluster.clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(cluster.registrySecurity().username()).isEqualTo("ops");
    }
}
