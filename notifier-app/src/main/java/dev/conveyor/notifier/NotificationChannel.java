package dev.conveyor.notifier;

import dev.conveyor.schema.TaskResult;

/** One way of telling the outside world a task's outcome. */
public interface NotificationChannel {

    /** Used as the {@code channel} metric tag. */
    String name();

    /** Whether this result is for this channel at all (e.g. the webhook channel needs a callback URL). */
    boolean accepts(TaskResult result);

    /** Delivers, retrying as the channel sees fit; throws when the result could not be delivered. */
    void deliver(TaskResult result) throws Exception;
}
