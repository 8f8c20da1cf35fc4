package dev.conveyor.retry;

import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The delay tiers a consumer retries its records through: the processor's {@code tasks.retry.*} or the
 * notifier's {@code tasks.results.retry.*}, one topic per delay of {@code settings}.
 */
public record RetryTiers<V extends SpecificRecord>(RetrySettings settings, List<TopicDescriptor<V>> topics) {

    public RetryTiers {
        topics = List.copyOf(topics);
        if (topics.size() != settings.tiers().size()) {
            throw new IllegalArgumentException("one topic per delay: " + settings.tiers() + " / " + topics);
        }
    }

    public static RetryTiers<TaskRequest> forTasks(RetrySettings settings) {
        return new RetryTiers<>(settings, settings.tierTopics(Topics::retryTier));
    }

    public static RetryTiers<TaskResult> forResults(RetrySettings settings) {
        return new RetryTiers<>(settings, settings.tierTopics(Topics::resultRetryTier));
    }
}
