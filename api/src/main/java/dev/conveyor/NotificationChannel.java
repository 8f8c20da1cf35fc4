package dev.conveyor;

import dev.conveyor.schema.TaskResult;

/** One way of telling the outside world a task's outcome. */
public interface NotificationChannel {

    /** Used as the {@code channel} metric tag. */
    String name();

    /** Whether this result is for this channel at all (e.g. the webhook channel needs a callback URL). */
    boolean accepts(TaskResult result);

    /**
     * One delivery attempt. Throws {@link DeliveryRefusedException} when the receiver refuses the
     * result for good, anything else when a later attempt may succeed: the notifier retries it
     * through its delay tiers.
     */
    void deliver(TaskResult result) throws Exception;
}
