package dev.conveyor.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.RecordOutcome;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.retry.RetryTiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final Instant FAILED_AT = Instant.parse("2026-06-01T12:00:00Z");
    static final RetrySettings SETTINGS = new RetrySettings(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)), 5, 0.5);

    @Test
    void givenAttemptsBelowTheLimitWhenTheyFailThenEachWaitsInTheTierOfItsAttemptTheLastTierAfterwards() {
        RetryPolicy policy = new RetryPolicy(RetryTiers.forTasks(SETTINGS), () -> 0.0);

        assertThat(policy.next(failure(1, 5), FAILED_AT)).isEqualTo(new RetryPolicy.Retry("tasks.retry.1s", FAILED_AT.plusSeconds(1)));
        assertThat(policy.next(failure(2, 5), FAILED_AT)).isEqualTo(new RetryPolicy.Retry("tasks.retry.10s", FAILED_AT.plusSeconds(10)));
        assertThat(policy.next(failure(4, 5), FAILED_AT).topic()).isEqualTo("tasks.retry.10s");
    }

    @Test
    void givenTheAttemptThatReachesTheLimitWhenItFailsThenItIsNotRetried() {
        RetryPolicy policy = new RetryPolicy(RetryTiers.forResults(SETTINGS), () -> 0.0);

        assertThat(policy.next(failure(5, 5), FAILED_AT)).isNull();
        assertThat(policy.next(failure(7, 5), FAILED_AT)).isNull();
        assertThat(policy.next(failure(1, 1), FAILED_AT)).isNull();
    }

    @Test
    void givenJitterWhenAnAttemptFailsThenItIsNeverDueEarlyAndAtMostTheJitterLate() {
        RetryPolicy unlucky = new RetryPolicy(RetryTiers.forTasks(SETTINGS), () -> 0.999_999);
        RetryPolicy lucky = new RetryPolicy(RetryTiers.forTasks(SETTINGS), () -> 0.0);

        Instant latest = unlucky.next(failure(2, 5), FAILED_AT).due();
        Instant earliest = lucky.next(failure(2, 5), FAILED_AT).due();

        assertThat(earliest).isEqualTo(FAILED_AT.plusSeconds(10));
        assertThat(latest).isAfter(earliest).isBeforeOrEqualTo(FAILED_AT.plusSeconds(15));
    }

    private static RecordOutcome.Failure failure(int attempt, int maxAttempts) {
        return new RecordOutcome.Failure(new RuntimeException("x"), attempt, maxAttempts, OutcomeRouterTest.task(attempt + 1),
                DeadLetterReason.RETRIES_EXHAUSTED, null, null);
    }
}
