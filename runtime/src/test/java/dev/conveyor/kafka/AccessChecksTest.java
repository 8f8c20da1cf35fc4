package dev.conveyor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.ConfigException;
import dev.conveyor.security.KafkaSecurity;
import dev.conveyor.security.RegistrySecurity;
import dev.conveyor.security.Secret;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AccessChecksTest {

    private final ClusterConfig plain = new ClusterConfig("k1:9092", "http://registry:8080");
    private final ClusterConfig secure = new ClusterConfig("k1:9093", "https://registry:8443",
            KafkaSecurity.saslSsl("SCRAM-SHA-512", "svc", new Secret("s3cret"), null),
            new RegistrySecurity(null, "registry-user", new Secret("registry-pass")));

    @Test
    void givenARefusedScramLoginThenThePasswordSettingIsNamed() {
        // when the broker refuses the login
        RuntimeException explained = KafkaAccessCheck.explain(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"), secure);

        // then the error names the password setting and the user, never the password
        assertThat(explained).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_SASL_PASSWORD: Kafka at k1:9093 refused the SCRAM-SHA-512 login of user 'svc'")
                .hasMessageContaining("KAFKA_SASL_USERNAME")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void givenAnUntrustedBrokerCertificateThenTheTrustStoreIsNamed() {
        SslAuthenticationException untrusted = new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed", new CertificateException("unable to find valid certification path")));

        assertThat(KafkaAccessCheck.explain(untrusted, secure)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_SSL_TRUSTSTORE_LOCATION: the TLS handshake with Kafka at k1:9093 failed");
        assertThat(KafkaAccessCheck.explain(new SslAuthenticationException("SSL handshake failed"), secure))
                .hasMessageStartingWith("KAFKA_SECURITY_PROTOCOL: the TLS handshake with Kafka at k1:9093 failed");
    }

    @Test
    void givenNoAnswerOverPlaintextThenTheProtocolIsNamed() {
        // when a plain client's requests go unanswered by a listener that accepted its connection
        RuntimeException explained = KafkaAccessCheck.explain(new TimeoutException("Timed out waiting for a node assignment"), plain);

        // then the error points at the protocol
        assertThat(explained).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_SECURITY_PROTOCOL: Kafka at k1:9092 accepts connections but did not answer")
                .hasMessageContaining("over PLAINTEXT").hasMessageContaining("expects TLS");
    }

    @Test
    void givenARegistryRefusingTheLoginThenItsSettingsAreNamed() {
        assertThat(RegistryAccessCheck.explain(401, secure)).hasMessageStartingWith(
                "SCHEMA_REGISTRY_PASSWORD: the schema registry at https://registry:8443 refused the login of user 'registry-user'");
        assertThat(RegistryAccessCheck.explain(401, plain)).hasMessageStartingWith(
                "SCHEMA_REGISTRY_USERNAME: the schema registry at http://registry:8080 requires a login");
        assertThat(RegistryAccessCheck.explain(403, secure)).hasMessageStartingWith("SCHEMA_REGISTRY_USERNAME:");
        assertThat(RegistryAccessCheck.explain(200, secure)).isNull();
        assertThat(RegistryAccessCheck.explain(new SSLHandshakeException("PKIX path building failed",
                new CertificateException("unable to find valid certification path")), secure))
                .hasMessageStartingWith("SCHEMA_REGISTRY_TRUSTSTORE_LOCATION:");
    }
}
