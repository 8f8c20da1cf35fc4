package dev.conveyor.processor;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long one attempt may run and how many attempts a task gets, by task type. A task's own
 * {@code timeoutMs} and {@code maxAttempts} win over these.
 *
 * @param defaultTimeout     {@code HANDLER_TIMEOUT}
 * @param timeoutByType      {@code HANDLER_TIMEOUTS}, e.g. {@code email.send=30s,report.render=5m}
 * @param defaultMaxAttempts {@code MAX_ATTEMPTS}
 * @param maxAttemptsByType  {@code MAX_ATTEMPTS_BY_TYPE}, e.g. {@code email.send=8}
 */
public record HandlerLimits(Duration defaultTimeout, Map<String, Duration> timeoutByType,
                            int defaultMaxAttempts, Map<String, Integer> maxAttemptsByType) {

    public static final String HANDLER_TIMEOUT = "HANDLER_TIMEOUT";
    public static final String HANDLER_TIMEOUTS = "HANDLER_TIMEOUTS";
    public static final String MAX_ATTEMPTS_BY_TYPE = "MAX_ATTEMPTS_BY_TYPE";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public HandlerLimits {
        timeoutByType = Map.copyOf(timeoutByType);
        maxAttemptsByType = Map.copyOf(maxAttemptsByType);
        if (defaultTimeout.toMillis() < 1) {
            throw new ConfigException(HANDLER_TIMEOUT, "must be positive");
        }
        timeoutByType.forEach((type, timeout) -> {
            if (timeout.toMillis() < 1) {
                throw new ConfigException(HANDLER_TIMEOUTS, type + ": must be positive");
            }
        });
        maxAttemptsByType.forEach((type, attempts) -> {
            if (attempts < 1) {
                throw new ConfigException(MAX_ATTEMPTS_BY_TYPE, type + ": must be at least 1");
            }
        });
    }

    public static HandlerLimits load(Env env, int defaultMaxAttempts) {
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        env.map(HANDLER_TIMEOUTS).forEach((type, value) -> timeouts.put(type, Env.parseDuration(HANDLER_TIMEOUTS, value)));
        Map<String, Integer> attempts = new LinkedHashMap<>();
        env.map(MAX_ATTEMPTS_BY_TYPE).forEach((type, value) -> {
            try {
                attempts.put(type, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new ConfigException(MAX_ATTEMPTS_BY_TYPE, type + ": '" + value + "' is not a whole number");
            }
        });
        return new HandlerLimits(env.duration(HANDLER_TIMEOUT, DEFAULT_TIMEOUT), timeouts, defaultMaxAttempts, attempts);
    }

    public Duration timeoutFor(String type, Long taskTimeoutMs) {
        if (taskTimeoutMs != null && taskTimeoutMs > 0) {
            return Duration.ofMillis(taskTimeoutMs);
        }
        return timeoutByType.getOrDefault(type, defaultTimeout);
    }

    public int maxAttemptsFor(String type, int taskMaxAttempts) {
        return taskMaxAttempts > 0 ? taskMaxAttempts : maxAttemptsByType.getOrDefault(type, defaultMaxAttempts);
    }
}
