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
        CompletableFuture<Void> second = sequencer.submit("k", () -> {
            events.add("start-2");
            return CompletableFuture.completedFuture(null);
        });

        assertThat(events).containsExactly("start-1");
        firstDone.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(events).containsExactly("start-1", "end-1", "start-2");
    }

    @Test
    void givenASlowKeyThenOtherKeysAreNotHeldBack() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        sequencer.submit("slow", () -> slow);

        CompletableFuture<Void> other = sequencer.submit("fast", () -> CompletableFuture.completedFuture(null));

        await().atMost(Duration.ofSeconds(5)).until(other::isDone);
        assertThat(slow).isNotDone();
        slow.complete(null);
    }

    @Test
    void givenFailingWorkThenItsFailureIsReportedAndTheNextWorkOfItsKeyStillRuns() {
        CompletableFuture<Object> failing = sequencer.submit("k", () -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
        CompletableFuture<Void> next = sequencer.submit("k", () -> CompletableFuture.completedFuture(null));

        await().atMost(Duration.ofSeconds(5)).until(next::isDone);
        assertThat(next).isCompleted();
        assertThat(failing).isCompletedExceptionally();
    }

    @Test
    void givenFinishedKeysThenNoChainIsKept() {
        for (int i = 0; i < 100; i++) {
            sequencer.submit("key-" + i, () -> CompletableFuture.completedFuture(null));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sequencer.activeKeys() == 0);
    }
}
