package dev.conveyor.internal.retry;

import dev.conveyor.retry.RetrySettings;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.schema.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Routes a delayed task over the retry tiers, so Kafka needs no scheduler: it waits in the longest
 * tier not longer than its remaining wait (the shortest if the wait is shorter than every tier) and,
 * when due there, hops again until its run time. Pure.
 */
public final class DelayRouter {

    /** Where to wait next and until when. */
    public record Hop(TopicDescriptor<TaskRequest> topic, Instant due) {
    }

    private final List<Duration> delays;
    private final List<TopicDescriptor<TaskRequest>> topics;

    public DelayRouter(RetrySettings settings) {
        this.delays = settings.tiers();
        this.topics = settings.tierTopics();
    }

    public Hop next(Instant now, Instant runAt) {
        Duration remaining = Duration.between(now, runAt);
        int tier = 0;
        for (int i = 0; i < delays.size(); i++) {
            if (delays.get(i).compareTo(remaining) <= 0) {
                tier = i;
            }
        }
        Instant tierDue = now.plus(delays.get(tier));
        return new Hop(topics.get(tier), tierDue.isBefore(runAt) ? tierDue : runAt);
    }
}
