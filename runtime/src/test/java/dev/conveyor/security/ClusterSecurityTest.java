package dev.conveyor.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.kafka.ClusterConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecurityTest {

    @TempDir
    Path dir;
    Path truststore;
    Path pem;

    @BeforeEach
    void stores() throws Exception {
        // a real CA certificate, from the JDK's own trust store, as PKCS12 and as PEM
        Certificate ca;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
            cacerts.load(in, null);
            ca = cacerts.getCertificate(cacerts.aliases().nextElement());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        truststore = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            store.store(out, "trust-pass".toCharArray());
        }
        pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    @Test
    void givenSaslSslThenEveryClientGetsTheScramLoginAndTheTrustStore() {
        // given a SASL_SSL cluster and a registry with TLS and basic auth
        ClusterConfig cluster = ClusterConfig.load(Env.of(secureEnv()));

        // when the client properties are derived
        Map<String, Object> kafka = cluster.clientProperties();
        Map<String, Object> serde = cluster.registrySecurity().serdeProperties();

        // then they carry the protocol, the SCRAM login (quotes escaped) and the trust store
        assertThat(kafka).containsEntry("bootstrap.servers", "k1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc-conveyor\" password=\"p\\\"w\\\\d\";")
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "trust-pass");
        assertThat(serde).containsEntry("apicurio.registry.tls.truststore.location", pem.toString())
                .containsEntry("apicurio.registry.tls.truststore.type", "PEM")
                .containsEntry("apicurio.registry.auth.username", "registry-user")
                .containsEntry("apicurio.registry.auth.password", "registry-pass")
                .doesNotContainKey("apicurio.registry.tls.truststore.password");
    }

    @Test
    void givenSecretsThenTheConfigurationPrintsNone() {
        // given a configuration holding four passwords
        ClusterConfig cluster = ClusterConfig.load(Env.of(secureEnv()));

        // when it is printed, then no password shows
        assertThat(cluster.toString()).contains("svc-conveyor", "registry-user", "[hidden]")
                .doesNotContain("p\"w\\d", "trust-pass", "registry-pass");
    }

    @Test
    void givenPasswordFilesThenTheSecretsAreReadWithoutTheirLineBreak() throws Exception {
        // given passwords mounted as files, as Kubernetes secrets are
        Files.writeString(dir.resolve("sasl"), "from-file\n");
        Files.writeString(dir.resolve("registry"), "registry-from-file");
        Map<String, String> env = secureEnv();
        env.remove("KAFKA_SASL_PASSWORD");
        env.remove("SCHEMA_REGISTRY_PASSWORD");
        env.put("KAFKA_SASL_PASSWORD_FILE", dir.resolve("sasl").toString());
        env.put("SCHEMA_REGISTRY_PASSWORD_FILE", dir.resolve("registry").toString());

        // when loaded
        ClusterConfig cluster = ClusterConfig.load(Env.of(env));

        // then the file contents are the passwords
        assertThat(cluster.kafkaSecurity().password().value()).isEqualTo("from-file");
        assertThat(cluster.registrySecurity().password().value()).isEqualTo("registry-from-file");
    }

    @Test
    void givenNoSecuritySettingsThenThePlainDefaultsApply() {
        ClusterConfig cluster = ClusterConfig.load(Env.of(Map.of()));

        assertThat(cluster.kafkaSecurity()).isEqualTo(KafkaSecurity.PLAINTEXT);
        assertThat(cluster.registrySecurity()).isEqualTo(RegistrySecurity.NONE);
        assertThat(cluster.clientProperties()).containsOnly(Map.entry("bootstrap.servers", "127.0.0.1:9092"),
                Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(cluster.registrySecurity().serdeProperties()).isEmpty();
    }

    @Test
    void givenUnusableSecuritySettingsThenTheErrorNamesTheVariable() {
        assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"), "KAFKA_SECURITY_PROTOCOL");
        assertRefused(without(secureEnv(), "KAFKA_SASL_USERNAME"), "KAFKA_SASL_USERNAME");
        assertRefused(without(secureEnv(), "KAFKA_SASL_PASSWORD"), "KAFKA_SASL_PASSWORD");
        assertRefused(with(secureEnv(), "KAFKA_SASL_MECHANISM", "GSSAPI"), "KAFKA_SASL_MECHANISM");
        assertRefused(with(secureEnv(), "KAFKA_SASL_PASSWORD_FILE", pem.toString()), "KAFKA_SASL_PASSWORD");
        assertRefused(with(without(secureEnv(), "KAFKA_SASL_PASSWORD"), "KAFKA_SASL_PASSWORD_FILE", dir.resolve("missing").toString()),
                "KAFKA_SASL_PASSWORD_FILE");
        // a login or trust store without a protocol that uses it is a forgotten KAFKA_SECURITY_PROTOCOL
        assertRefused(Map.of("KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p"), "KAFKA_SASL_USERNAME");
        assertRefused(Map.of("KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString(), "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pass"),
                "KAFKA_SSL_TRUSTSTORE_LOCATION");
        assertRefused(with(secureEnv(), "KAFKA_SSL_TRUSTSTORE_LOCATION", dir.resolve("missing.p12").toString()),
                "KAFKA_SSL_TRUSTSTORE_LOCATION");
        assertRefused(with(secureEnv(), "KAFKA_SSL_TRUSTSTORE_PASSWORD", "wrong"), "KAFKA_SSL_TRUSTSTORE_PASSWORD");
        assertRefused(with(secureEnv(), "KAFKA_SSL_TRUSTSTORE_TYPE", "PFX"), "KAFKA_SSL_TRUSTSTORE_TYPE");
        assertRefused(with(secureEnv(), "SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD", "a PEM file has none"), "SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD");
        assertRefused(without(secureEnv(), "SCHEMA_REGISTRY_PASSWORD"), "SCHEMA_REGISTRY_PASSWORD");
        assertRefused(without(secureEnv(), "SCHEMA_REGISTRY_USERNAME"), "SCHEMA_REGISTRY_USERNAME");
        assertRefused(with(secureEnv(), "SCHEMA_REGISTRY_URL", "http://registry:8080"), "SCHEMA_REGISTRY_TRUSTSTORE_LOCATION");
        assertRefused(without(secureEnv(), "KAFKA_SSL_TRUSTSTORE_LOCATION"), "KAFKA_SSL_TRUSTSTORE_LOCATION");
    }

    @Test
    void givenAPemTrustStoreThenItsCertificatesAreTrusted() throws Exception {
        // given the registry's CA as PEM
        StoreSettings store = new StoreSettings(RegistrySecurity.TRUSTSTORE, pem, null, StoreType.PEM);

        // when opened for a JDK trust manager, then it holds the certificate
        assertThat(store.open().size()).isEqualTo(1);
    }

    private Map<String, String> secureEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "k1:9093");
        env.put("KAFKA_SECURITY_PROTOCOL", "sasl_ssl");
        env.put("KAFKA_SASL_USERNAME", "svc-conveyor");
        env.put("KAFKA_SASL_PASSWORD", "p\"w\\d");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pass");
        env.put("SCHEMA_REGISTRY_URL", "https://registry:8443");
        env.put("SCHEMA_REGISTRY_TRUSTSTORE_LOCATION", pem.toString());
        env.put("SCHEMA_REGISTRY_TRUSTSTORE_TYPE", "pem");
        env.put("SCHEMA_REGISTRY_USERNAME", "registry-user");
        env.put("SCHEMA_REGISTRY_PASSWORD", "registry-pass");
        return env;
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        env.put(key, value);
        return env;
    }

    private static Map<String, String> without(Map<String, String> env, String key) {
        env.remove(key);
        return env;
    }

    private static void assertRefused(Map<String, String> env, String key) {
        assertThatThrownBy(() -> ClusterConfig.load(Env.of(env)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + ":")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }
}
