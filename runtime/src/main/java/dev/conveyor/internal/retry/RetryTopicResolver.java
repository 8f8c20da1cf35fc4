package dev.conveyor.internal.retry;

import dev.conveyor.kafka.TopicDescriptor;
import java.time.Duration;
import java.util.List;

/** Picks the delay tier of a failed attempt: attempt n waits in tier min(n, last) before attempt n+1. Pure. */
public final class RetryTopicResolver<V extends org.apache.avro.specific.SpecificRecord> {

    private final List<Duration> delays;
    private final List<TopicDescriptor<V>> topics;

    public RetryTopicResolver(List<Duration> delays, List<TopicDescriptor<V>> topics) {
        if (delays.size() != topics.size() || delays.isEmpty()) {
            throw new IllegalArgumentException("one topic per delay, at least one: " + delays + " / " + topics);
        }
        this.delays = List.copyOf(delays);
        this.topics = List.copyOf(topics);
    }


    public TopicDescriptor<V> topicAfter(int failedAttempt) {
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
