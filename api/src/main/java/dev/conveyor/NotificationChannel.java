package dev.conveyor;

import dev.conveyor.schema.TaskResult;

/**
 * One way of telling the outside world a task's outcome. Implementations are plugins: a
 * {@link NotificationChannelFactory} listed in {@code META-INF/services/dev.conveyor.NotificationChannelFactory}
 * is found at start-up and used when its name is in {@code NOTIFIER_CHANNELS}. Deliveries run on
 * virtual threads, many at once, so a channel must be thread-safe; blocking I/O is fine.
 */
public interface NotificationChannel extends AutoCloseable {

    /** Used as the {@code channel} metric tag and in {@code NOTIFIER_CHANNELS}. */
    String name();

    /** Whether this result is for this channel at all (e.g. the webhook channel needs a callback URL). */
    boolean accepts(TaskResult result);

    /**
     * One delivery attempt. Throws {@link DeliveryRefusedException} when the receiver refuses the
     * result for good, anything else when a later attempt may succeed: the notifier retries it
     * through its delay tiers.
     */
    void deliver(TaskResult result) throws Exception;

    /**
     * One attempt of {@code attempt}'s delivery; the notifier calls this one. Channels whose receivers
     * drop repeats (e.g. by a message id stable across retries) override it; by default it is
     * {@link #deliver(TaskResult)}.
     */
    default void deliver(TaskResult result, DeliveryAttempt attempt) throws Exception {
        deliver(result);
    }

    /** Releases what the channel holds (connections, clients); called once when the notifier stops. */
    @Override
    default void close() {
    }
}
