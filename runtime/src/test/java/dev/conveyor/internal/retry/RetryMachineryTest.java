package dev.conveyor.internal.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.retry.RetrySettings;
import dev.conveyor.schema.AttemptFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryMachineryTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void givenTheDefaultTiersThenTopicsAreNamedByDelayAndAttemptNWaitsInTierMinNLast() {
        RetryTopicResolver<dev.conveyor.schema.TaskRequest> resolver = new RetryTopicResolver<>(RetrySettings.defaults().tiers(), RetrySettings.defaults().tierTopics());

        assertThat(RetrySettings.defaults().tierTopics()).extracting(t -> t.name())
                .containsExactly("tasks.retry.5s", "tasks.retry.30s", "tasks.retry.2m", "tasks.retry.10m");
        assertThat(resolver.topicAfter(1).name()).isEqualTo("tasks.retry.5s");
        assertThat(resolver.topicAfter(2).name()).isEqualTo("tasks.retry.30s");
        assertThat(resolver.topicAfter(4).name()).isEqualTo("tasks.retry.10m");
        assertThat(resolver.topicAfter(9).name()).isEqualTo("tasks.retry.10m");
        assertThat(resolver.delayAfter(3)).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> resolver.topicAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenJitterThenTheDueTimeIsNeverEarlyAndAtMostTheJitterLate() {
        DueTimeCalculator noLuck = new DueTimeCalculator(0.1, () -> 0.0);
        DueTimeCalculator worstLuck = new DueTimeCalculator(0.1, () -> 0.999_999);

        assertThat(noLuck.dueAt(T0, Duration.ofSeconds(30))).isEqualTo(T0.plusSeconds(30));
        assertThat(worstLuck.dueAt(T0, Duration.ofSeconds(30))).isBetween(T0.plusSeconds(30), T0.plusSeconds(33));
    }

    @Test
    void givenManyFailuresThenTheHistoryKeepsOnlyTheMostRecentAndRoundTrips() {
        List<AttemptFailure> history = new ArrayList<>();
        for (int attempt = 1; attempt <= 15; attempt++) {
            history = FailureHistory.append(history, attempt, T0.plusSeconds(attempt), "boom ".repeat(200));
        }

        assertThat(history).hasSize(RetryHeaders.MAX_HISTORY);
        assertThat(history.get(0).getAttempt()).isEqualTo(6);
        assertThat(history).allSatisfy(f -> assertThat(f.getError()).hasSizeLessThanOrEqualTo(FailureHistory.MAX_ERROR_CHARS));
        assertThat(FailureHistory.decode(FailureHistory.encode(history))).isEqualTo(history);
        assertThat(FailureHistory.decode("not json".getBytes())).isEmpty();
    }

    @Test
    void givenTierSettingsThenTheyMustGrowAndErrorsNameTheVariable() {
        assertThat(RetrySettings.load(Env.of(Map.of("RETRY_TIERS", "250ms, 1s,1h"))).tierTopics()).extracting(t -> t.name())
                .containsExactly("tasks.retry.250ms", "tasks.retry.1s", "tasks.retry.1h");
        assertThatThrownBy(() -> RetrySettings.load(Env.of(Map.of("RETRY_TIERS", "30s,5s"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("RETRY_TIERS:");
        assertThatThrownBy(() -> RetrySettings.load(Env.of(Map.of("RETRY_JITTER", "2")))).hasMessageStartingWith("RETRY_JITTER:");
        assertThatThrownBy(() -> RetrySettings.load(Env.of(Map.of("MAX_ATTEMPTS", "0")))).hasMessageStartingWith("MAX_ATTEMPTS:");
    }

    @Test
    void givenADelayedTaskThenItWaitsInTheLongestTierNotLongerThanItsRemainingWait() {
        DelayRouter router = new DelayRouter(RetrySettings.defaults());

        DelayRouter.Hop longWait = router.next(T0, T0.plus(Duration.ofMinutes(25)));
        assertThat(longWait.topic().name()).isEqualTo("tasks.retry.10m");
        assertThat(longWait.due()).isEqualTo(T0.plus(Duration.ofMinutes(10)));

        DelayRouter.Hop medium = router.next(T0, T0.plusSeconds(45));
        assertThat(medium.topic().name()).isEqualTo("tasks.retry.30s");
        assertThat(medium.due()).isEqualTo(T0.plusSeconds(30));

        DelayRouter.Hop shorterThanAnyTier = router.next(T0, T0.plusSeconds(2));
        assertThat(shorterThanAnyTier.topic().name()).isEqualTo("tasks.retry.5s");
        assertThat(shorterThanAnyTier.due()).as("never later than the run time").isEqualTo(T0.plusSeconds(2));

        DelayRouter.Hop exact = router.next(T0, T0.plusSeconds(30));
        assertThat(exact.topic().name()).isEqualTo("tasks.retry.30s");
        assertThat(exact.due()).isEqualTo(T0.plusSeconds(30));
    }
}
