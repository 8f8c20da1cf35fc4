package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    final TestClock clock = new TestClock();
    final RateLimiter limiter = new RateLimiter(clock);

    static ApiKey key(double rate) {
        return new ApiKey("k", KeyHash.of("cvk_k"), EnumSet.of(Scope.SUBMIT), TypePatterns.parse("*"), rate);
    }

    @Test
    void givenARateThenOneSecondsWorthIsAdmittedAtOnceAndTheNextWaitsForItsShare() {
        // given 10 tasks per second
        ApiKey key = key(10);

        // when 10 come at once, then an 11th
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(key, 1)).as("task %d", i).isEmpty();
        }
        var refused = limiter.tryAcquire(key, 1);

        // then the 11th waits a tenth of a second, and is admitted after it
        assertThat(refused).hasValue(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
        assertThat(limiter.tryAcquire(key, 1)).isPresent();
    }

    @Test
    void givenABatchLargerThanOneSecondsWorthThenAFullBucketAdmitsItAndTheKeyPaysItOffAfterwards() {
        // given 5 tasks per second and a batch of 20
        ApiKey key = key(5);

        // when
        var batch = limiter.tryAcquire(key, 20);
        var next = limiter.tryAcquire(key, 1);

        // then the batch goes, and the next task waits for the 15 it overdrew and one for itself: 16 at 5 per second
        assertThat(batch).isEmpty();
        assertThat(next).hasValue(Duration.ofMillis(3_200));
        clock.advance(Duration.ofMillis(3_199));
        assertThat(limiter.tryAcquire(key, 1)).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
    }

    @Test
    void givenARateBelowOnePerSecondThenOneTaskIsAdmittedPerPeriod() {
        ApiKey key = key(0.5);

        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
        assertThat(limiter.tryAcquire(key, 1)).hasValue(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
    }

    @Test
    void givenAnIdleKeyThenItSavesUpNoMoreThanOneSecondsWorth() {
        ApiKey key = key(2);
        clock.advance(Duration.ofHours(1));

        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
        assertThat(limiter.tryAcquire(key, 1)).isEmpty();
        assertThat(limiter.tryAcquire(key, 1)).isPresent();
    }

    @Test
    void givenAKeyWithoutARateOrWithANewRateThenItIsNotHeldToTheOldOne() {
        // no rate: never refused
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire(key(0), 100)).isEmpty();
        }
        // a key reloaded with another rate starts afresh
        assertThat(limiter.tryAcquire(key(1), 1)).isEmpty();
        assertThat(limiter.tryAcquire(key(1), 1)).isPresent();
        assertThat(limiter.tryAcquire(key(3), 1)).isEmpty();
    }
}
