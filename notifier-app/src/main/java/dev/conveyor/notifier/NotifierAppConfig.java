package dev.conveyor.notifier;

import dev.conveyor.ClusterConfig;
import dev.conveyor.ConfigException;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.Env;
import dev.conveyor.HttpSettings;
import dev.conveyor.TopicConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * @param groupId            {@code NOTIFIER_GROUP_ID}
 * @param channels           {@code NOTIFIER_CHANNELS}: comma-separated, of {@code log}, {@code webhook}
 * @param webhookTimeout     {@code WEBHOOK_TIMEOUT}: per delivery attempt
 * @param webhookMaxAttempts {@code WEBHOOK_MAX_ATTEMPTS}: attempts before a delivery is given up
 * @param webhookBackoff     {@code WEBHOOK_BACKOFF}: wait before the second attempt, doubled after each
 */
public record NotifierAppConfig(ClusterConfig cluster, TopicConfig topics, ConsumerSettings consumer, HttpSettings http,
                                String groupId, List<String> channels, Duration webhookTimeout, int webhookMaxAttempts,
                                Duration webhookBackoff) {

    public static final String GROUP_ID = "NOTIFIER_GROUP_ID";
    public static final String CHANNELS = "NOTIFIER_CHANNELS";
    public static final String WEBHOOK_TIMEOUT = "WEBHOOK_TIMEOUT";
    public static final String WEBHOOK_MAX_ATTEMPTS = "WEBHOOK_MAX_ATTEMPTS";
    public static final String WEBHOOK_BACKOFF = "WEBHOOK_BACKOFF";
    public static final String DEFAULT_GROUP_ID = "conveyor-notifier";
    public static final List<String> DEFAULT_CHANNELS = List.of("log", "webhook");
    public static final Set<String> KNOWN_CHANNELS = Set.of("log", "webhook");
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_WEBHOOK_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_WEBHOOK_BACKOFF = Duration.ofMillis(500);
    public static final int DEFAULT_HTTP_PORT = 8083;

    public NotifierAppConfig {
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigException(GROUP_ID, "must not be blank");
        }
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new ConfigException(CHANNELS, "name at least one channel of " + KNOWN_CHANNELS);
        }
        for (String channel : channels) {
            if (!KNOWN_CHANNELS.contains(channel)) {
                throw new ConfigException(CHANNELS, "'" + channel + "' is not a channel; known: " + KNOWN_CHANNELS);
            }
        }
        if (webhookTimeout == null || webhookTimeout.toMillis() < 1) {
            throw new ConfigException(WEBHOOK_TIMEOUT, "must be positive");
        }
        if (webhookMaxAttempts < 1) {
            throw new ConfigException(WEBHOOK_MAX_ATTEMPTS, "must be at least 1");
        }
        if (webhookBackoff == null || webhookBackoff.isNegative()) {
            throw new ConfigException(WEBHOOK_BACKOFF, "must not be negative");
        }
    }

    public static NotifierAppConfig load(Env env) {
        return new NotifierAppConfig(ClusterConfig.load(env), TopicConfig.load(env), ConsumerSettings.load(env),
                HttpSettings.load(env, DEFAULT_HTTP_PORT), env.string(GROUP_ID, DEFAULT_GROUP_ID),
                env.list(CHANNELS, DEFAULT_CHANNELS), env.duration(WEBHOOK_TIMEOUT, DEFAULT_WEBHOOK_TIMEOUT),
                env.integer(WEBHOOK_MAX_ATTEMPTS, DEFAULT_WEBHOOK_MAX_ATTEMPTS), env.duration(WEBHOOK_BACKOFF, DEFAULT_WEBHOOK_BACKOFF));
    }
}
