package dev.conveyor.notifier;

import dev.conveyor.events.EventSettings;
import dev.conveyor.metrics.QueueMetricsSettings;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.ConfigException;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.Env;
import dev.conveyor.http.HttpSettings;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.kafka.TopicConfig;
import java.util.List;

/**
 * @param groupId            {@code NOTIFIER_GROUP_ID}
 * @param channels           {@code NOTIFIER_CHANNELS}: comma-separated channel plugin names ({@code log}, {@code webhook} built in);
 *                           each channel reads its own settings (the webhook's: {@link WebhookSettings})
 * @param retry              {@code RETRY_TIERS}, {@code MAX_ATTEMPTS}, {@code RETRY_JITTER}: delivery attempts per
 *                           channel and the delay tiers ({@code tasks.results.retry.<delay>}) between them
 * @param events             {@code TASK_EVENTS}: whether it writes the delivery events of the status view
 * @param queueMetrics       {@code QUEUE_METRICS}, {@code QUEUE_METRICS_INTERVAL}: the group's lag, queue latency and
 *                           members as gauges, for {@code tasks.results} and the delivery tiers
 */
public record NotifierAppConfig(ClusterConfig cluster, TopicConfig topics, ConsumerSettings consumer, HttpSettings http,
                                String groupId, List<String> channels, RetrySettings retry,
                                EventSettings events, QueueMetricsSettings queueMetrics) {

    public static final String GROUP_ID = "NOTIFIER_GROUP_ID";
    public static final String CHANNELS = "NOTIFIER_CHANNELS";
    public static final String DEFAULT_GROUP_ID = "conveyor-notifier";
    public static final List<String> DEFAULT_CHANNELS = List.of("log", "webhook");
    public static final int DEFAULT_HTTP_PORT = 8083;

    public NotifierAppConfig {
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigException(GROUP_ID, "must not be blank");
        }
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new ConfigException(CHANNELS, "name at least one channel, e.g. log,webhook");
        }
        if (retry == null) {
            throw new ConfigException(RetrySettings.RETRY_TIERS, "must be set");
        }
    }

    /**
     * Results taken from Kafka and not yet delivered, per instance, unless {@code MAX_IN_FLIGHT} says
     * otherwise: as many as can be delivered at once ({@code MAX_CONCURRENCY}), a quarter of that per
     * partition. More would not deliver faster (a delivery holds its slot until the receiver answers), but
     * each is a webhook re-sent when the instance is killed: a notifier behind on a backlog holds its limit
     * in flight all the time, and after a crash the next owner delivers again everything after the oldest
     * unfinished delivery of each partition.
     */
    static ConsumerSettings consumerSettings(Env env) {
        int concurrency = env.integer(ConsumerSettings.MAX_CONCURRENCY, ConsumerSettings.DEFAULT_MAX_CONCURRENCY);
        return ConsumerSettings.load(env, concurrency, Math.max(1, concurrency / 4));
    }

    public static NotifierAppConfig load(Env env) {
        return new NotifierAppConfig(ClusterConfig.load(env), TopicConfig.load(env),
                consumerSettings(env),
                HttpSettings.load(env, DEFAULT_HTTP_PORT), env.string(GROUP_ID, DEFAULT_GROUP_ID),
                env.list(CHANNELS, DEFAULT_CHANNELS), RetrySettings.load(env), EventSettings.load(env), QueueMetricsSettings.load(env));
    }
}
