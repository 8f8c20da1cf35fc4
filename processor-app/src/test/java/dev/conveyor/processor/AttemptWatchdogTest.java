package dev.conveyor.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptWatchdogTest {

    final AttemptWatchdog watchdog = new AttemptWatchdog("test-watchdog");

    @AfterEach
    void stop() {
        watchdog.close();
    }

    @Test
    void givenAnAttemptPastItsDeadlineThenItIsInterruptedAndFinishClearsTheInterrupt() throws Exception {
        CompletableFuture<Boolean[]> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            AttemptWatchdog.Attempt attempt = watchdog.start(Duration.ofMillis(50));
            boolean interrupted = false;
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
            boolean inTime = attempt.finish();
            outcome.complete(new Boolean[] {interrupted, inTime, Thread.currentThread().isInterrupted()});
        });

        Boolean[] result = outcome.get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(result[0]).as("interrupted").isTrue();
        assertThat(result[1]).as("finished in time").isFalse();
        assertThat(result[2]).as("interrupt still set after finish").isFalse();
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void givenAnAttemptFinishedInTimeThenItsThreadIsLeftAlonePastTheDeadline() {
        Thread me = Thread.currentThread();
        AttemptWatchdog.Attempt attempt = watchdog.start(Duration.ofMillis(30));

        assertThat(attempt.finish()).isTrue();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !me.isInterrupted());
        assertThat(watchdog.watched()).isZero();
    }

    @Test
    void givenALaterAttemptDueEarlierThanTheOneWatchedThenTheEarlierDeadlineStillCounts() throws Exception {
        AttemptWatchdog.Attempt longOne = watchdog.start(Duration.ofMinutes(10));
        CompletableFuture<Boolean> shortOneInTime = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            AttemptWatchdog.Attempt shortOne = watchdog.start(Duration.ofMillis(50));
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException expected) {
                // the watchdog's doing
            }
            shortOneInTime.complete(shortOne.finish());
        });

        assertThat(shortOneInTime.get(5, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
        assertThat(longOne.finish()).isTrue();
    }
}
