package dev.conveyor.retry;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delay tiers for failed attempts and the attempt limit.
 *
 * @param tiers              {@code RETRY_TIERS}: delays, shortest first; attempt n+1 waits in tier min(n, last)
 * @param defaultMaxAttempts {@code MAX_ATTEMPTS}: used when a task does not carry its own limit
 * @param jitter             {@code RETRY_JITTER}: up to this fraction of the delay is added at random, so a
 *                           burst of failures does not come back as one burst
 */
public record RetrySettings(List<Duration> tiers, int defaultMaxAttempts, double jitter) {

    public static final String RETRY_TIERS = "RETRY_TIERS";
    public static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    public static final String RETRY_JITTER = "RETRY_JITTER";
    public static final List<Duration> DEFAULT_TIERS =
            List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final double DEFAULT_JITTER = 0.1;

    public RetrySettings {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new ConfigException(RETRY_TIERS, "name at least one delay, e.g. 5s,30s,2m,10m");
        }
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).toMillis() < 1) {
                throw new ConfigException(RETRY_TIERS, "delays must be positive");
            }
            if (i > 0 && tiers.get(i).compareTo(tiers.get(i - 1)) <= 0) {
                throw new ConfigException(RETRY_TIERS, "delays must grow: " + tiers);
            }
        }
        if (defaultMaxAttempts < 1) {
            throw new ConfigException(MAX_ATTEMPTS, "must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new ConfigException(RETRY_JITTER, "must be between 0 and 1");
        }
    }

    public static RetrySettings defaults() {
        return new RetrySettings(DEFAULT_TIERS, DEFAULT_MAX_ATTEMPTS, DEFAULT_JITTER);
    }

    public static RetrySettings load(Env env) {
        List<Duration> tiers = new ArrayList<>();
        for (String token : env.list(RETRY_TIERS, List.of())) {
            tiers.add(Env.parseDuration(RETRY_TIERS, token));
        }
        String jitter = env.string(RETRY_JITTER, Double.toString(DEFAULT_JITTER));
        try {
            return new RetrySettings(tiers.isEmpty() ? DEFAULT_TIERS : tiers, env.integer(MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS),
                    Double.parseDouble(jitter));
        } catch (NumberFormatException e) {
            throw new ConfigException(RETRY_JITTER, "'" + jitter + "' is not a number");
        }
    }

    /** The task tier topics, in tier order: {@code tasks.retry.5s}, {@code tasks.retry.30s}, ... */
    public List<TopicDescriptor<dev.conveyor.schema.TaskRequest>> tierTopics() {
        return tierTopics(Topics::retryTier);
    }

    /** Tier topics named by {@code naming}, in tier order. */
    public <V extends org.apache.avro.specific.SpecificRecord> List<TopicDescriptor<V>> tierTopics(
            java.util.function.Function<Duration, TopicDescriptor<V>> naming) {
        return tiers.stream().map(naming).toList();
    }
}
