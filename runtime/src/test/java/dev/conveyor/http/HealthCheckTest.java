package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.auth.TestClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    private final TestClock clock = new TestClock();
    private final AtomicBoolean consumerRunning = new AtomicBoolean();
    private final AtomicInteger kafkaProbes = new AtomicInteger();
    private final HealthCheck health = new HealthCheck(clock)
            .with("kafka", () -> kafkaProbes.incrementAndGet() > 0)
            .with("consumer", consumerRunning::get);

    @Test
    void anAppThatBecomesReadySaysSoAtTheNextProbe() {
        // given an app whose consumer has not started
        assertThat(health.healthy()).isFalse();

        // when it starts, a moment later
        consumerRunning.set(true);
        clock.advance(Duration.ofMillis(10));

        // then the next probe answers healthy, not a cached "no"
        assertThat(health.healthy()).isTrue();
    }

    @Test
    void aPassingCheckIsBelievedForASecondSoABusyProberDoesNotLoadKafka() {
        // given a healthy app
        consumerRunning.set(true);
        assertThat(health.healthy()).isTrue();

        // when it is probed again and again within a second
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(50));
            assertThat(health.healthy()).isTrue();
        }

        // then Kafka was asked once, and again only after the second is over
        assertThat(kafkaProbes).hasValue(1);
        clock.advance(HealthCheck.CACHE_FOR);
        assertThat(health.healthy()).isTrue();
        assertThat(kafkaProbes).hasValue(2);
    }

    @Test
    void aCheckThatStopsPassingIsReportedOnceItsSecondIsOver() {
        // given a healthy app
        consumerRunning.set(true);
        assertThat(health.healthy()).isTrue();

        // when its consumer stops
        consumerRunning.set(false);
        clock.advance(HealthCheck.CACHE_FOR);

        // then the probe says so, naming the check
        assertThat(health.check()).containsEntry("consumer", false).containsEntry("kafka", true);
    }
}
