package dev.conveyor.internal.retry;

import dev.conveyor.RetrySettings;
import dev.conveyor.TopicDescriptor;
import dev.conveyor.schema.TaskRequest;
import java.time.Duration;
import java.util.List;

/** Picks the delay tier of a failed attempt: attempt n waits in tier min(n, last) before attempt n+1. Pure. */
public final class RetryTopicResolver {

    private final List<Duration> delays;
    private final List<TopicDescriptor<TaskRequest>> topics;

    public RetryTopicResolver(RetrySettings settings) {
        this.delays = settings.tiers();
        this.topics = settings.tierTopics();
    }

    public TopicDescriptor<TaskRequest> topicAfter(int failedAttempt) {
        return topics.get(tierIndex(failedAttempt));
    }

    public Duration delayAfter(int failedAttempt) {
        return delays.get(tierIndex(failedAttempt));
    }

    private int tierIndex(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts are 1-based, got " + failedAttempt);
        }
        return Math.min(failedAttempt, delays.size()) - 1;
    }
}
