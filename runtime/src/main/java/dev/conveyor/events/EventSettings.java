package dev.conveyor.events;

import dev.conveyor.Env;

/**
 * What lifecycle events an app writes to {@code tasks.events}.
 *
 * @param enabled {@code TASK_EVENTS}: write lifecycle events at all (the status view reads them)
 * @param started {@code TASK_EVENTS_STARTED}: also write {@code STARTED} when a handler starts, so the view
 *                shows running tasks; one more record per attempt
 */
public record EventSettings(boolean enabled, boolean started) {

    public static final String TASK_EVENTS = "TASK_EVENTS";
    public static final String TASK_EVENTS_STARTED = "TASK_EVENTS_STARTED";
    public static final boolean DEFAULT_ENABLED = true;
    public static final boolean DEFAULT_STARTED = true;

    public EventSettings {
        started = enabled && started;
    }

    public static EventSettings load(Env env) {
        return new EventSettings(env.bool(TASK_EVENTS, DEFAULT_ENABLED), env.bool(TASK_EVENTS_STARTED, DEFAULT_STARTED));
    }

    public static EventSettings off() {
        return new EventSettings(false, false);
    }

    public static EventSettings defaults() {
        return new EventSettings(DEFAULT_ENABLED, DEFAULT_STARTED);
    }
}
