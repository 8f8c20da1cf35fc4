package dev.conveyor.processor;

import dev.conveyor.events.EventSettings;
import dev.conveyor.metrics.QueueMetricsSettings;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.ConfigException;
import dev.conveyor.ConsumerSettings;
import dev.conveyor.Env;
import dev.conveyor.http.HttpSettings;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.kafka.TopicConfig;

/**
 * @param groupId {@code PROCESSOR_GROUP_ID}: the consumer group every processor instance joins
 * @param events  {@code TASK_EVENTS}, {@code TASK_EVENTS_STARTED}: the lifecycle events it writes
 * @param queueMetrics {@code QUEUE_METRICS}, {@code QUEUE_METRICS_INTERVAL}: the group's lag, queue latency and members
 *                as gauges, for {@code tasks} and the delay tiers
 */
public record ProcessorAppConfig(ClusterConfig cluster, TopicConfig topics, ConsumerSettings consumer, HttpSettings http,
                                 String groupId, RetrySettings retry, HandlerLimits limits, EventSettings events, QueueMetricsSettings queueMetrics) {

    public static final String GROUP_ID = "PROCESSOR_GROUP_ID";
    public static final String DEFAULT_GROUP_ID = "conveyor-processor";
    public static final int DEFAULT_HTTP_PORT = 8082;

    public ProcessorAppConfig {
        if (groupId == null || groupId.isBlank()) {
            throw new ConfigException(GROUP_ID, "must not be blank");
        }
    }

    public static ProcessorAppConfig load(Env env) {
        RetrySettings retry = RetrySettings.load(env);
        return new ProcessorAppConfig(ClusterConfig.load(env), TopicConfig.load(env), ConsumerSettings.load(env),
                HttpSettings.load(env, DEFAULT_HTTP_PORT), env.string(GROUP_ID, DEFAULT_GROUP_ID), retry,
                HandlerLimits.load(env, retry.defaultMaxAttempts()), EventSettings.load(env), QueueMetricsSettings.load(env));
    }
}
