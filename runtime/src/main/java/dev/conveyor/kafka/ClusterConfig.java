package dev.conveyor.kafka;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.security.KafkaSecurity;
import dev.conveyor.security.RegistrySecurity;
import dev.conveyor.security.StoreSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where Kafka and the schema registry are, and how to connect to them securely. The one mapping from
 * environment variables to client settings: every Kafka client of every app and tool starts from
 * {@link #clientProperties()}, every registry client from {@link #registrySecurity()}. Its
 * {@code toString} shows no password.
 *
 * @param bootstrapServers  {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param schemaRegistryUrl {@code SCHEMA_REGISTRY_URL}, the registry's base URL (its Apicurio v3 API and
 *                          Confluent-compatible API are derived from it)
 * @param kafkaSecurity     {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}
 * @param registrySecurity  {@code SCHEMA_REGISTRY_TRUSTSTORE_*}, {@code SCHEMA_REGISTRY_USERNAME} / {@code _PASSWORD}
 */
public record ClusterConfig(String bootstrapServers, String schemaRegistryUrl, KafkaSecurity kafkaSecurity,
                            RegistrySecurity registrySecurity) {

    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8080";
    private static final String APICURIO_API = "/apis/registry/v3";

    public ClusterConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException(BOOTSTRAP_SERVERS, "must name at least one host:port");
        }
        for (String server : bootstrapServers.split(",")) {
            if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                throw new ConfigException(BOOTSTRAP_SERVERS, "'" + server.trim() + "' is not host:port");
            }
        }
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "must be an http(s) URL");
        }
        schemaRegistryUrl = stripSuffix(stripSuffix(schemaRegistryUrl.trim(), "/"), APICURIO_API);
        URI uri;
        try {
            uri = URI.create(schemaRegistryUrl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "'" + schemaRegistryUrl + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "'" + schemaRegistryUrl + "' is not an http(s) URL");
        }
        kafkaSecurity = kafkaSecurity == null ? KafkaSecurity.PLAINTEXT : kafkaSecurity;
        registrySecurity = registrySecurity == null ? RegistrySecurity.NONE : registrySecurity;
        if (registrySecurity.truststore() != null && "http".equals(uri.getScheme())) {
            throw new ConfigException(RegistrySecurity.TRUSTSTORE + StoreSettings.LOCATION, "is set, but " + SCHEMA_REGISTRY_URL
                    + " is plain http: write it with https://");
        }
    }

    /** A cluster without authentication or encryption: a local broker and registry. */
    public ClusterConfig(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, KafkaSecurity.PLAINTEXT, RegistrySecurity.NONE);
    }

    public static ClusterConfig load(Env env) {
        // the first setting every app loads: a log format logback cannot use would silence the app
        dev.conveyor.logging.LogFormat.check(env);
        return new ClusterConfig(
                env.string(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS),
                env.string(SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL),
                KafkaSecurity.load(env),
                RegistrySecurity.load(env));
    }

    /**
     * What every Kafka client (producer, consumer, admin, Streams) starts from: the bootstrap servers and
     * the security settings. Clients add their own settings on top and never override these.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(kafkaSecurity.clientProperties());
        return props;
    }

    public ClusterConfig withBootstrapServers(String servers) {
        return new ClusterConfig(servers, schemaRegistryUrl, kafkaSecurity, registrySecurity);
    }

    public ClusterConfig withSchemaRegistryUrl(String url) {
        return new ClusterConfig(bootstrapServers, url, kafkaSecurity, registrySecurity);
    }

    /** The Apicurio v3 REST API, which the serdes talk to. */
    public String registryApiUrl() {
        return schemaRegistryUrl + APICURIO_API;
    }

    /** The Confluent-compatible API, for Confluent-style consumers. */
    public String confluentCompatibleUrl() {
        return schemaRegistryUrl + "/apis/ccompat/v7";
    }

    private static String stripSuffix(String value, String suffix) {
        return value.endsWith(suffix) ? value.substring(0, value.length() - suffix.length()) : value;
    }
}
