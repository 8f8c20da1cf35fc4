package dev.conveyor.internal.route;

import dev.conveyor.RecordOutcome;
import dev.conveyor.internal.retry.DueTimeCalculator;
import dev.conveyor.internal.retry.RetryTopicResolver;
import dev.conveyor.retry.RetryTiers;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * Whether and where a failed attempt is tried again: not once {@link RecordOutcome.Failure#exhausted()},
 * else in the tier of its attempt (attempt n waits in tier min(n, last)), due at the time it failed plus
 * the tier's delay plus jitter, never earlier. Pure: the randomness is injected.
 */
public final class RetryPolicy {

    /** The next attempt waits in {@code topic} until {@code due}. */
    public record Retry(String topic, Instant due) {
    }

    private final RetryTopicResolver<?> tiers;
    private final DueTimeCalculator dueTimes;

    /** @param random uniform values in [0, 1), for the jitter */
    public RetryPolicy(RetryTiers<?> tiers, DoubleSupplier random) {
        this.tiers = new RetryTopicResolver<>(tiers.settings().tiers(), tiers.topics());
        this.dueTimes = new DueTimeCalculator(tiers.settings().jitter(), random);
    }

    /** The retry of a failure that is not exhausted; null when the record must be given up. */
    public Retry next(RecordOutcome.Failure failure, Instant failedAt) {
        if (failure.exhausted()) {
            return null;
        }
        return new Retry(tiers.topicAfter(failure.attempt()).name(), dueTimes.dueAt(failedAt, tiers.delayAfter(failure.attempt())));
    }
}
