package dev.conveyor.metrics;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;

/**
 * How an app exports its consumer group's queue gauges ({@link QueueMetrics}).
 *
 * @param enabled  {@code QUEUE_METRICS}: export {@code conveyor_consumer_lag}, {@code conveyor_queue_latency_seconds}
 *                 and {@code conveyor_consumer_group_members} at all
 * @param interval {@code QUEUE_METRICS_INTERVAL}: how often they are read from Kafka (a few admin requests and one
 *                 short read per refresh, by every instance)
 */
public record QueueMetricsSettings(boolean enabled, Duration interval) {

    public static final String QUEUE_METRICS = "QUEUE_METRICS";
    public static final String QUEUE_METRICS_INTERVAL = "QUEUE_METRICS_INTERVAL";
    public static final boolean DEFAULT_ENABLED = true;
    /** As often as a usual scrape interval: each scrape sees a value at most one interval old. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    /** Below this the refreshes would load the broker's group coordinator for nothing a scrape could show. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    public QueueMetricsSettings {
        if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
            throw new ConfigException(QUEUE_METRICS_INTERVAL, "must be at least " + MIN_INTERVAL.toSeconds() + "s, was " + interval);
        }
    }

    public static QueueMetricsSettings load(Env env) {
        return new QueueMetricsSettings(env.bool(QUEUE_METRICS, DEFAULT_ENABLED), env.duration(QUEUE_METRICS_INTERVAL, DEFAULT_INTERVAL));
    }

    public static QueueMetricsSettings defaults() {
        return new QueueMetricsSettings(DEFAULT_ENABLED, DEFAULT_INTERVAL);
    }
}
