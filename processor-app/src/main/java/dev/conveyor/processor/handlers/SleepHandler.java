package dev.conveyor.processor.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.TaskHandler;
import dev.conveyor.TaskHandlerFactory;
import java.time.Duration;

/**
 * {@code sleep}: waits like a slow API call would, {@code payload.ms} milliseconds or
 * {@code SLEEP_HANDLER_DURATION} (default 100ms).
 */
public final class SleepHandler implements TaskHandlerFactory {

    public static final String DURATION = "SLEEP_HANDLER_DURATION";
    public static final Duration DEFAULT_DURATION = Duration.ofMillis(100);
    static final long MAX_MS = Duration.ofMinutes(10).toMillis();

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public TaskHandler create(Env env) {
        Duration fallback = env.duration(DURATION, DEFAULT_DURATION);
        if (fallback.isNegative()) {
            throw new ConfigException(DURATION, "must not be negative");
        }
        return task -> {
            JsonNode ms = task.payloadJson().get("ms");
            long millis = ms != null && ms.canConvertToLong() ? ms.asLong() : fallback.toMillis();
            if (millis < 0 || millis > MAX_MS) {
                throw new IllegalArgumentException("payload.ms must be between 0 and " + MAX_MS);
            }
            // the sleep is the simulated work itself
            Thread.sleep(millis);
            return "{\"sleptMs\":" + millis + "}";
        };
    }
}
