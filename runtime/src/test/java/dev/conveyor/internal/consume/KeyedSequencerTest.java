package dev.conveyor.internal.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

    final KeyedSequencer sequencer = new KeyedSequencer();

    @Test
    void givenWorkOfOneKeyThenItRunsOneAtATimeInSubmissionOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> firstDone = new CompletableFuture<>();

        sequencer.submit("k", () -> {
            events.add("start-1");
            return firstDone.thenRun(() -> events.add("end-1"));
        });
        sequencer.submit("k", () -> {
            events.add("start-2");
            return CompletableFuture.completedFuture(null);
        });

        assertThat(events).containsExactly("start-1");
        firstDone.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("start-2"));
        assertThat(events).containsExactly("start-1", "end-1", "start-2");
    }

    @Test
    void givenASlowKeyThenOtherKeysAreNotHeldBack() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        sequencer.submit("slow", () -> slow);
        CompletableFuture<Void> otherRan = new CompletableFuture<>();

        sequencer.submit("fast", () -> {
            otherRan.complete(null);
            return otherRan;
        });

        await().atMost(Duration.ofSeconds(5)).until(otherRan::isDone);
        assertThat(slow).isNotDone();
        slow.complete(null);
    }

    @Test
    void givenFailingWorkThenTheNextWorkOfItsKeyStillRuns() {
        CompletableFuture<Void> nextRan = new CompletableFuture<>();
        sequencer.submit("k", () -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
        sequencer.submit("k", () -> {
            throw new IllegalStateException("thrown, not returned");
        });

        sequencer.submit("k", () -> {
            nextRan.complete(null);
            return nextRan;
        });

        await().atMost(Duration.ofSeconds(5)).until(nextRan::isDone);
        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenFinishedKeysThenNoChainIsKept() {
        for (int i = 0; i < 100; i++) {
            sequencer.submit("key-" + i, () -> CompletableFuture.completedFuture(null));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }

    @Test
    void givenUnfinishedWorkThenItsKeyStaysUntilItEnds() {
        CompletableFuture<Void> running = new CompletableFuture<>();
        sequencer.submit("k", () -> running);

        assertThat(sequencer.activeKeys()).isEqualTo(1);
        running.complete(null);

        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }
}
