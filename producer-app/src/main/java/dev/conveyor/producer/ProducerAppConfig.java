package dev.conveyor.producer;

import dev.conveyor.ClusterConfig;
import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.HttpSettings;
import dev.conveyor.TopicConfig;
import java.time.Duration;

/**
 * @param maxPayloadBytes {@code MAX_PAYLOAD_BYTES}: largest accepted payload (413 above it)
 * @param sendTimeout     {@code SEND_TIMEOUT}: longest a request waits for Kafka before answering 503
 */
public record ProducerAppConfig(ClusterConfig cluster, TopicConfig topics, HttpSettings http,
                                int maxPayloadBytes, Duration sendTimeout, dev.conveyor.RetrySettings tiers) {

    public static final String MAX_PAYLOAD_BYTES = "MAX_PAYLOAD_BYTES";
    public static final String SEND_TIMEOUT = "SEND_TIMEOUT";
    public static final int DEFAULT_HTTP_PORT = 8081;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
    /** Kafka's own default record limit is 1 MiB; the whole task must fit in it. */
    static final int MAX_PAYLOAD_LIMIT = 900 * 1024;

    public ProducerAppConfig {
        if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_LIMIT) {
            throw new ConfigException(MAX_PAYLOAD_BYTES, "must be between 1 and " + MAX_PAYLOAD_LIMIT + ", was " + maxPayloadBytes);
        }
        if (sendTimeout == null || sendTimeout.toMillis() < 100) {
            throw new ConfigException(SEND_TIMEOUT, "must be at least 100ms");
        }
    }

    public static ProducerAppConfig load(Env env) {
        return new ProducerAppConfig(
                ClusterConfig.load(env),
                TopicConfig.load(env),
                HttpSettings.load(env, DEFAULT_HTTP_PORT),
                env.integer(MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES),
                env.duration(SEND_TIMEOUT, DEFAULT_SEND_TIMEOUT),
                dev.conveyor.RetrySettings.load(env));
    }
}
