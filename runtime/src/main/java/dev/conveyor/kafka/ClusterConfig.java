package dev.conveyor.kafka;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.net.URI;

/**
 * Where Kafka and the schema registry are.
 *
 * @param bootstrapServers  {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param schemaRegistryUrl {@code SCHEMA_REGISTRY_URL}, the registry's base URL (its Apicurio v3 API and
 *                          Confluent-compatible API are derived from it)
 */
public record ClusterConfig(String bootstrapServers, String schemaRegistryUrl) {

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
    }

    public static ClusterConfig load(Env env) {
        return new ClusterConfig(
                env.string(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS),
                env.string(SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL));
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
